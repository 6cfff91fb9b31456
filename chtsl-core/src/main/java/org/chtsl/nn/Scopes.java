package org.chtsl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Helpers for the temporary memory scopes blocks compute in. */
final class Scopes {

    private Scopes() {}

    /**
     * Temporarily attaches arrays to a scope, each array once. Attaching the same array twice would
     * record the scope itself as its owner, and closing the scope would then free it.
     *
     * @param scope the scope
     * @param arrays the arrays, possibly repeated or null
     */
    static void tempAttachDistinct(NDManager scope, NDArray... arrays) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray array : arrays) {
            if (array != null && seen.add(array)) {
                array.tempAttach(scope);
            }
        }
    }
}
