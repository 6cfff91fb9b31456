package org.chtsl.training;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.testng.annotations.Test;

public class OptimizerStepCounterTest {

    @Test
    public void everyThirdBatchCompletesAStepAndTheCountRoundTrips() throws Exception {
        OptimizerStepCounter counter = new OptimizerStepCounter(3);
        boolean[] completes = new boolean[7];
        for (int b = 0; b < completes.length; b++) {
            completes[b] = counter.countBatch();
        }
        assertEquals(completes, new boolean[] {false, false, true, false, false, true, false});
        assertEquals(counter.getStep(), 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        counter.save(new DataOutputStream(bytes));
        OptimizerStepCounter resumed = new OptimizerStepCounter(3);
        resumed.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(resumed.getStep(), 2);
        assertFalse(resumed.countBatch()); // the 8th batch, as in the run it continues
        assertTrue(resumed.countBatch());
        assertEquals(resumed.getStep(), 3);

        OptimizerStepCounter other = new OptimizerStepCounter(4);
        MalformedModelException e =
                expectThrows(
                        MalformedModelException.class,
                        () ->
                                other.load(
                                        new DataInputStream(
                                                new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("3 micro-batches"), e.getMessage());
        assertEquals(other.getStep(), 0, "nothing applied");
        expectThrows(IllegalArgumentException.class, () -> new OptimizerStepCounter(0));
    }
}
