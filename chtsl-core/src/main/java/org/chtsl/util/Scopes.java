package org.chtsl.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Helpers for the temporary memory scopes chtsl computes in. */
public final class Scopes {

    private Scopes() {}

    /**
     * Temporarily attaches arrays to a scope, each array once: attaching the same array twice would
     * record the scope itself as its owner, and closing the scope would then free it. For the same
     * reason arrays that already belong to the scope are left alone. Nulls are skipped.
     *
     * @param scope the scope
     * @param arrays the arrays, possibly repeated or null
     */
    public static void tempAttachDistinct(NDManager scope, NDArray... arrays) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray array : arrays) {
            if (array != null && array.getManager() != scope && seen.add(array)) {
                array.tempAttach(scope);
            }
        }
    }
}
