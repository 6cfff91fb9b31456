package org.chtsl.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --device}: where TrainLlama, Evaluate and Generate compute (a picocli mixin). */
final class DeviceOption {

    /** The devices {@code --device} names. */
    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(List.of("cpu", "gpu"));
        }
    }

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            completionCandidates = Names.class,
            description = "where to compute: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String name = "cpu";

    /**
     * Returns the device named.
     *
     * @return the device
     * @throws IllegalArgumentException for {@code gpu} where PyTorch sees none
     */
    Device device() {
        if (!"gpu".equals(name)) {
            return Device.cpu();
        }
        if (Engine.getInstance().getGpuCount() == 0) {
            throw new IllegalArgumentException(
                    "--device gpu: PyTorch sees no GPU here (it needs a CUDA build of libtorch and a"
                            + " driver, see the README's GPU section); use --device cpu.");
        }
        return Device.gpu();
    }
}
