package org.chtsl.topology.rule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.chtsl.util.Scopes;

/**
 * Chain removal, or node percolation (spec §2.8): after removal, links of neurons that can no
 * longer carry signal are removed too, so dead neurons disappear. All masks are {@code (outputs,
 * inputs)}; results are boolean.
 */
public final class ChainRemoval {

    private ChainRemoval() {}

    /**
     * A chain pair: {@code first (h × n)} feeds {@code second (m × h)}. Hidden unit i loses its
     * incoming links (row i of {@code first}) if it has no outgoing link (column i of {@code
     * second}); then it loses its outgoing links if, after that, it has no incoming link.
     *
     * @param first the mask of the layer into the hidden units
     * @param second the mask of the layer out of them
     * @return the updated {@code (first, second)}
     * @throws IllegalArgumentException if {@code first}'s rows do not match {@code second}'s
     *     columns
     */
    public static NDList chain(NDArray first, NDArray second) {
        if (first.getShape().get(0) != second.getShape().get(1)) {
            throw new IllegalArgumentException(
                    "Chain removal needs first (h × n) feeding second (m × h), got "
                            + first.getShape()
                            + " and "
                            + second.getShape()
                            + ".");
        }
        try (NDManager scope = NDManager.subManagerOf(first)) {
            Scopes.tempAttachDistinct(scope, first, second);
            NDArray hasOutgoing = hasLinks(second, 0);
            NDArray newFirst =
                    first.toType(DataType.BOOLEAN, false).logicalAnd(hasOutgoing.reshape(-1, 1));
            NDArray hasIncoming = hasLinks(newFirst, 1);
            NDArray newSecond =
                    second.toType(DataType.BOOLEAN, false).logicalAnd(hasIncoming.reshape(1, -1));
            return new NDList(scope.ret(newFirst), scope.ret(newSecond));
        }
    }

    /**
     * A "qk" pair: two layers whose outputs are multiplied together (q and k, gate and up). Output
     * i of {@code a} loses its links if output i of {@code b} has none; then output i of {@code b}
     * loses its links if output i of the updated {@code a} has none.
     *
     * @param a the first mask
     * @param b the second mask, with as many rows
     * @return the updated {@code (a, b)}
     * @throws IllegalArgumentException if the row counts differ
     */
    public static NDList qk(NDArray a, NDArray b) {
        if (a.getShape().get(0) != b.getShape().get(0)) {
            throw new IllegalArgumentException(
                    "A qk pair needs masks with as many outputs (rows), got "
                            + a.getShape()
                            + " and "
                            + b.getShape()
                            + ".");
        }
        try (NDManager scope = NDManager.subManagerOf(a)) {
            Scopes.tempAttachDistinct(scope, a, b);
            NDArray bAlive = hasLinks(b, 1);
            NDArray newA = a.toType(DataType.BOOLEAN, false).logicalAnd(bAlive.reshape(-1, 1));
            NDArray aAlive = hasLinks(newA, 1);
            NDArray newB = b.toType(DataType.BOOLEAN, false).logicalAnd(aAlive.reshape(-1, 1));
            return new NDList(scope.ret(newA), scope.ret(newB));
        }
    }

    /** Whether each row (axis 1) or column (axis 0) of a mask has at least one link. */
    private static NDArray hasLinks(NDArray mask, int axis) {
        return mask.toType(DataType.FLOAT32, false).sum(new int[] {axis}).gt(0);
    }

    /**
     * Chain removal over a stack of consecutive layers {@code L₀ … L_K} ({@code masks.get(k + 1)}
     * takes the outputs of {@code masks.get(k)}): a backward sweep from the last pair to the first,
     * then a forward sweep from the first to the last. Afterwards no hidden neuron has incoming
     * links without outgoing ones, nor outgoing links without incoming ones.
     *
     * @param masks the masks, input layer first
     * @return the updated masks, in the same order
     */
    public static List<NDArray> stack(List<NDArray> masks) {
        if (masks.isEmpty()) {
            return new ArrayList<>();
        }
        try (NDManager scope = NDManager.subManagerOf(masks.get(0))) {
            List<NDArray> result = new ArrayList<>();
            for (NDArray mask : masks) {
                NDArray copy = mask.toType(DataType.BOOLEAN, true);
                copy.attach(scope);
                result.add(copy);
            }
            for (int k = result.size() - 2; k >= 0; k--) {
                result.set(k, chain(result.get(k), result.get(k + 1)).get(0));
            }
            for (int k = 0; k + 1 < result.size(); k++) {
                result.set(k + 1, chain(result.get(k), result.get(k + 1)).get(1));
            }
            List<NDArray> returned = new ArrayList<>();
            for (NDArray mask : result) {
                returned.add(scope.ret(mask));
            }
            return returned;
        }
    }
}
