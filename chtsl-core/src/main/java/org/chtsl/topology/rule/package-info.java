/**
 * The rules of a topology update: which active links survive ({@link
 * org.chtsl.topology.rule.RemovalRule}), where new links grow ({@link
 * org.chtsl.topology.rule.RegrowthRule}), and chain removal, which drops the links of neurons that
 * can no longer carry signal.
 */
package org.chtsl.topology.rule;
