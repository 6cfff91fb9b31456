package org.chtsl.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Writes and reads the history of topology updates, for checkpoints. */
final class TopologyHistoryCodec {

    private TopologyHistoryCodec() {}

    static void write(DataOutputStream os, List<TopologyUpdateRecord> history) throws IOException {
        os.writeInt(history.size());
        for (TopologyUpdateRecord record : history) {
            os.writeLong(record.step());
            os.writeDouble(record.seconds());
            os.writeInt(record.layers().size());
            for (LayerUpdateRecord layer : record.layers()) {
                os.writeUTF(layer.name());
                os.writeDouble(layer.density());
                os.writeLong(layer.removed());
                os.writeLong(layer.regrown());
                os.writeDouble(layer.seconds());
                os.writeDouble(layer.churn());
                os.writeDouble(layer.overlap());
                os.writeDouble(layer.coverage());
            }
        }
    }

    static List<TopologyUpdateRecord> read(DataInputStream is) throws IOException {
        int updates = is.readInt();
        List<TopologyUpdateRecord> history = new ArrayList<>();
        for (int u = 0; u < updates; u++) {
            long step = is.readLong();
            double seconds = is.readDouble();
            int size = is.readInt();
            List<LayerUpdateRecord> layers = new ArrayList<>();
            for (int l = 0; l < size; l++) {
                layers.add(
                        new LayerUpdateRecord(
                                is.readUTF(),
                                is.readDouble(),
                                is.readLong(),
                                is.readLong(),
                                is.readDouble(),
                                is.readDouble(),
                                is.readDouble(),
                                is.readDouble()));
            }
            history.add(
                    new TopologyUpdateRecord(step, seconds, Collections.unmodifiableList(layers)));
        }
        return history;
    }
}
