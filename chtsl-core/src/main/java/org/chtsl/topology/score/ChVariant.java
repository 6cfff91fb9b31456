package org.chtsl.topology.score;

/**
 * The Cannistraci-Hebb weighting of local-community nodes (spec §3.2, §3.3). ι is a node's internal
 * degree (its links inside the local community), e its external degree.
 */
public enum ChVariant {
    /** Weight {@code (1 + ι) / (1 + e)}: CH2, the predictor of every released CHTs/CHTss run. */
    CH2,
    /** Weight {@code 1 / (1 + e)}: CH3, the papers' wording. */
    CH3,
    /** Weight {@code (1 + ι) / (1 + e)^(1 + e/(1 + e))} node-based; CH3.1. */
    CH3_1
}
