package org.chtsl.topology.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** A host copy of a layer's mask as a bipartite graph, for the exact path-based CH scores. */
final class BipartiteGraph {

    private final int rows;
    private final int columns;
    private final boolean[] linked; // row-major mask
    private final int[][] inputsOf; // N(i): the input nodes of output i
    private final int[][] outputsOf; // N(a): the output nodes of input a

    private BipartiteGraph(int rows, int columns, boolean[] linked) {
        this.rows = rows;
        this.columns = columns;
        this.linked = linked;
        inputsOf = new int[rows][];
        outputsOf = new int[columns][];
        int[] columnDegree = new int[columns];
        for (int i = 0; i < rows; i++) {
            int degree = 0;
            for (int a = 0; a < columns; a++) {
                if (linked[i * columns + a]) {
                    degree++;
                    columnDegree[a]++;
                }
            }
            inputsOf[i] = new int[degree];
        }
        for (int a = 0; a < columns; a++) {
            outputsOf[a] = new int[columnDegree[a]];
        }
        int[] rowFill = new int[rows];
        int[] columnFill = new int[columns];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < columns; a++) {
                if (linked[i * columns + a]) {
                    inputsOf[i][rowFill[i]++] = a;
                    outputsOf[a][columnFill[a]++] = i;
                }
            }
        }
    }

    static BipartiteGraph of(NDArray mask) {
        int rows = Math.toIntExact(mask.getShape().get(0));
        int columns = Math.toIntExact(mask.getShape().get(1));
        float[] values = mask.toType(DataType.FLOAT32, false).toFloatArray();
        boolean[] linked = new boolean[values.length];
        for (int k = 0; k < values.length; k++) {
            linked[k] = values[k] != 0;
        }
        return new BipartiteGraph(rows, columns, linked);
    }

    /** The number of (candidate, path) visits {@link #exactScores} makes. */
    long exactPathVisits() {
        long visits = 0;
        for (int i = 0; i < rows; i++) {
            long fanOut = 0;
            for (int a : inputsOf[i]) {
                fanOut += outputsOf[a].length;
            }
            visits += fanOut * (columns - inputsOf[i].length);
        }
        return visits;
    }

    float[] exactScores(ChVariant variant) {
        int[][] sharedInputs = commonNeighbours(outputsOf, rows); // |N(i) ∩ N(j)|
        int[][] sharedOutputs = commonNeighbours(inputsOf, columns); // |N(a) ∩ N(b)|
        float[] scores = new float[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int b = 0; b < columns; b++) {
                if (!linked[i * columns + b]) {
                    scores[i * columns + b] =
                            (float) pathSum(i, b, variant, sharedInputs, sharedOutputs);
                }
            }
        }
        return scores;
    }

    private double pathSum(
            int i, int b, ChVariant variant, int[][] sharedInputs, int[][] sharedOutputs) {
        double sum = 0;
        for (int a : inputsOf[i]) {
            int internalA = sharedOutputs[a][b];
            if (internalA == 0) {
                continue;
            }
            int externalA = outputsOf[a].length - internalA - 1;
            for (int j : outputsOf[a]) {
                if (j == i || !linked[j * columns + b]) {
                    continue;
                }
                int internalJ = sharedInputs[i][j];
                int externalJ = inputsOf[j].length - internalJ - 1;
                sum += pathWeight(variant, internalA, externalA, internalJ, externalJ);
            }
        }
        return sum;
    }

    private static double pathWeight(
            ChVariant variant, int internalA, int externalA, int internalJ, int externalJ) {
        switch (variant) {
            case CH3:
                return 1 / Math.sqrt((1.0 + externalA) * (1.0 + externalJ));
            case CH2:
                return Math.sqrt((1.0 + internalA) * (1.0 + internalJ))
                        / Math.sqrt((1.0 + externalA) * (1.0 + externalJ));
            case CH3_1:
                return 1
                        / Math.sqrt(
                                (1.0 / (1 + internalA) + externalA)
                                        * (1.0 / (1 + internalJ) + externalJ));
            default:
                throw new IllegalArgumentException("Unknown CH variant " + variant);
        }
    }

    /** {@code shared[x][y]} = number of neighbours nodes x and y of one side have in common. */
    private static int[][] commonNeighbours(int[][] otherSide, int count) {
        int[][] shared = new int[count][count];
        for (int[] members : otherSide) {
            for (int x : members) {
                for (int y : members) {
                    shared[x][y]++;
                }
            }
        }
        return shared;
    }
}
