package org.chtsl.examples.plot;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Colours by series name, assigned in the order names are first asked for: the same name has the
 * same colour in every panel of a figure.
 */
public final class Palette {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };

    private final Map<String, Color> assigned = new LinkedHashMap<>();

    /**
     * The n-th colour of the palette (it repeats after ten).
     *
     * @param index n ≥ 0
     * @return the colour
     */
    public static Color color(int index) {
        return COLORS[index % COLORS.length];
    }

    /**
     * Returns a name's colour, assigning the next free one to a new name.
     *
     * @param name the series' name
     * @return its colour
     */
    public Color color(String name) {
        return assigned.computeIfAbsent(name, key -> color(assigned.size()));
    }
}
