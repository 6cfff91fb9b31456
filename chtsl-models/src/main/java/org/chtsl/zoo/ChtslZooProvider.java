package org.chtsl.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers the {@link ChtslModelZoo} with DJL (listed in {@code META-INF/services}). */
public class ChtslZooProvider implements ZooProvider {

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new ChtslModelZoo();
    }
}
