package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The index arithmetic of {@link SparseStorage#COMPACT}: a layer of shape {@code (rows, cols)}
 * keeps {@code capacity} slots, each a value and a flat position {@code row·cols + col}. Active
 * positions come first, ascending; unused slots (after a density decay removed links) hold the
 * spare position {@code rows·cols}, one past the matrix, and the value 0.
 *
 * <p>The dense matrix is a scatter of the values into {@code rows·cols + 1} zeros, with the spare
 * last entry cut off: unused slots write 0 there, and receive a gradient of exactly 0 because the
 * cut-off entry never reaches the output. So the capacity never changes, and neither does the shape
 * of the trainable parameter — DJL's parameter store keeps the arrays it first saw, so a parameter
 * whose shape changed would not be the one trained.
 */
final class CompactLinks {

    private CompactLinks() {}

    /**
     * Returns the slot positions of a mask: its active flat positions ascending, then the spare
     * position up to {@code capacity}.
     *
     * @param mask a 0/1 (or boolean) array of shape {@code (rows, cols)}
     * @param capacity the number of slots
     * @param layer how to name the layer in messages
     * @return an INT64 vector of length {@code capacity}, attached to the mask's manager
     * @throws IllegalArgumentException if the mask has more active links than slots
     */
    static NDArray positions(NDArray mask, long capacity, String layer) {
        long spare = mask.getShape().size();
        NDManager manager = mask.getManager();
        try (NDManager scope = NDManager.subManagerOf(mask)) {
            scope.tempAttachAll(mask);
            NDArray active = mask.flatten().neq(0).nonzero().reshape(-1);
            long count = active.getShape().get(0);
            if (count > capacity) {
                throw new IllegalArgumentException(
                        layer
                                + " holds "
                                + capacity
                                + " links in compact storage (its initial count), but the new"
                                + " topology has "
                                + count
                                + ". A compact layer's link count can only stay or shrink; build"
                                + " it with SparseStorage.DENSE_MASKED to let it grow.");
            }
            NDArray slots = active;
            if (count < capacity) {
                long[] unused = new long[Math.toIntExact(capacity - count)];
                Arrays.fill(unused, spare);
                slots = active.concat(scope.create(unused));
            }
            slots.attach(manager);
            return slots;
        }
    }

    /**
     * Scatters slot values into the dense matrix (differentiable with respect to the values: their
     * gradient is the dense gradient gathered at their positions).
     *
     * @param values the slot values, of length {@code capacity}
     * @param positions the slot positions, INT64 of the same length
     * @param shape the dense shape {@code (rows, cols)}
     * @return the dense matrix, attached to the values' manager
     */
    static NDArray dense(NDArray values, NDArray positions, Shape shape) {
        long size = shape.size();
        NDArray padded = values.getManager().zeros(new Shape(size + 1), values.getDataType());
        NDArray scattered = padded.scatter(positions, values, 0);
        return scattered.get(new NDIndex().addSliceDim(0, size)).reshape(shape);
    }

    /**
     * Returns the dense 0/1 mask of the slots, in a given type.
     *
     * @param positions the slot positions
     * @param shape the dense shape
     * @param type the mask's data type
     * @param manager where the mask is created
     * @return the mask
     */
    static NDArray mask(NDArray positions, Shape shape, DataType type, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray ones = scope.ones(positions.getShape(), type);
            NDArray mask = dense(ones, positions, shape);
            mask.attach(manager);
            return mask;
        }
    }

    /**
     * Counts the active slots (those not at the spare position).
     *
     * @param positions the slot positions
     * @param shape the dense shape
     * @return the number of active links
     */
    static long activeCount(NDArray positions, Shape shape) {
        try (NDArray active = positions.lt(shape.size());
                NDArray count = active.countNonzero()) {
            return count.getLong();
        }
    }

    /**
     * Moves per-slot state from old slots to new ones: a position present in both keeps its value,
     * a new position gets 0, and positions outside {@code carried} get 0 too.
     *
     * @param state the old per-slot values (weights or optimizer moments)
     * @param oldPositions the old slot positions
     * @param newPositions the new slot positions
     * @param keep 1 for new slots whose state is carried over, 0 otherwise, of the state's type
     * @param shape the dense shape
     * @return the new per-slot values, attached to the state's manager
     */
    static NDArray move(
            NDArray state, NDArray oldPositions, NDArray newPositions, NDArray keep, Shape shape) {
        NDManager manager = state.getManager();
        try (NDManager scope = NDManager.subManagerOf(state)) {
            scope.tempAttachAll(state);
            long size = shape.size();
            NDArray spread = scope.zeros(new Shape(size + 1), state.getDataType());
            NDArray moved =
                    spread.scatter(oldPositions, state.stopGradient(), 0)
                            .gather(newPositions, 0)
                            .mul(keep);
            moved.attach(manager);
            return moved;
        }
    }

    /**
     * Returns which new slots carry their state over: 1 where the slot's position is in {@code
     * carried}, 0 for unused slots and positions outside it.
     *
     * @param carried a 0/1 or boolean array of shape {@code (rows, cols)}
     * @param newPositions the new slot positions
     * @param type the type of the result
     * @return the per-slot 0/1 vector, attached to the positions' manager
     */
    static NDArray keep(NDArray carried, NDArray newPositions, DataType type) {
        NDManager manager = newPositions.getManager();
        try (NDManager scope = NDManager.subManagerOf(newPositions)) {
            scope.tempAttachAll(carried);
            NDArray flat = carried.flatten().toType(type, false);
            NDArray padded = flat.concat(scope.zeros(new Shape(1), type));
            NDArray keep = padded.gather(newPositions, 0);
            keep.attach(manager);
            return keep;
        }
    }
}
