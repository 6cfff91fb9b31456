/** Sparse multilayer perceptrons: the CHTs paper's image-classification model. */
package org.chtsl.models.mlp;
