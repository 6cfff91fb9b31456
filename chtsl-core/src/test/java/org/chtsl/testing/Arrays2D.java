package org.chtsl.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Plain-Java views of small NDArrays, for computing expectations independently of the engine. */
public final class Arrays2D {

    private Arrays2D() {}

    /**
     * Copies a 2-D array into doubles.
     *
     * @param array a 2-D array of any numeric type
     * @return its values, row by row
     */
    public static double[][] toMatrix(NDArray array) {
        int rows = Math.toIntExact(array.getShape().get(0));
        int columns = Math.toIntExact(array.getShape().get(1));
        double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] matrix = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * columns, matrix[i], 0, columns);
        }
        return matrix;
    }

    /**
     * Computes {@code x·Wᵀ + b} for the rows of x in double precision.
     *
     * @param x the inputs, one per row
     * @param weight the weight, output features × input features
     * @param bias the bias, or null
     * @return the outputs, one per row
     */
    public static double[][] linear(double[][] x, double[][] weight, double[] bias) {
        double[][] y = new double[x.length][weight.length];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < weight.length; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int i = 0; i < x[r].length; i++) {
                    sum += x[r][i] * weight[o][i];
                }
                y[r][o] = sum;
            }
        }
        return y;
    }

    /**
     * Multiplies two matrices of the same shape element by element.
     *
     * @param a the first matrix
     * @param b the second matrix
     * @return their Hadamard product
     */
    public static double[][] hadamard(double[][] a, double[][] b) {
        double[][] product = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                product[i][j] = a[i][j] * b[i][j];
            }
        }
        return product;
    }

    /**
     * Returns the largest absolute difference between two matrices of the same shape.
     *
     * @param a the first matrix
     * @param b the second matrix
     * @return {@code max |a − b|}
     */
    public static double maxAbsDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
