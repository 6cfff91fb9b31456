package org.chtsl.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;

/** Base of tests that create arrays: a fresh manager and a fixed engine seed for every test. */
public abstract class ManagedTest {

    /** The manager of the running test, closed after it. */
    protected NDManager manager;

    /**
     * The engine seed every test of the class starts from.
     *
     * @return the seed
     */
    protected int seed() {
        return 1234;
    }

    @BeforeMethod
    public void openManager() {
        Engine.getInstance().setRandomSeed(seed());
        manager = NDManager.newBaseManager();
    }

    @AfterMethod
    public void closeManager() {
        manager.close();
    }
}
