/** Data for language modelling: tokenization and (as the project grows) datasets and corpora. */
package org.chtsl.data;
