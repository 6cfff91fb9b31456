package org.chtsl.examples;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LLaMA projection's place, read from a layer's name in reports ({@code
 * layers.3.self_attn.q_proj}, {@code layers.3.mlp.up_proj.sparse}): its decoder layer and its kind.
 *
 * @param layer the decoder layer's index
 * @param kind the projection's kind: {@code q}, {@code k}, {@code v}, {@code o}, {@code gate},
 *     {@code up} or {@code down}
 */
record ProjectionName(int layer, String kind) implements Comparable<ProjectionName> {

    /** The kinds in the order a decoder layer applies them. */
    static final List<String> KINDS = List.of("q", "k", "v", "o", "gate", "up", "down");

    /** The attention's kinds. */
    static final List<String> ATTENTION = KINDS.subList(0, 4);

    /** Kinds in {@link #KINDS}' order, unknown kinds last by name. */
    static final Comparator<String> KIND_ORDER =
            Comparator.comparingInt(ProjectionName::rank).thenComparing(Comparator.naturalOrder());

    private static final Pattern PATTERN = Pattern.compile("(\\d+).*?([a-z]+)_proj");

    /**
     * Reads a name.
     *
     * @param name a layer's name
     * @return its layer and kind, or empty for a name that holds neither
     */
    static Optional<ProjectionName> parse(String name) {
        Matcher matcher = PATTERN.matcher(name);
        return matcher.find()
                ? Optional.of(
                        new ProjectionName(Integer.parseInt(matcher.group(1)), matcher.group(2)))
                : Optional.empty();
    }

    /**
     * The kind as the model names it.
     *
     * @return e.g. {@code q_proj}
     */
    String label() {
        return kind + "_proj";
    }

    /** By layer, then in {@link #KINDS}' order (unknown kinds last). */
    @Override
    public int compareTo(ProjectionName other) {
        int byLayer = Integer.compare(layer, other.layer);
        return byLayer != 0 ? byLayer : KIND_ORDER.compare(kind, other.kind);
    }

    private static int rank(String kind) {
        int index = KINDS.indexOf(kind);
        return index < 0 ? KINDS.size() : index;
    }
}
