#!/usr/bin/env bash
# Renders a run folder's report.html with headless Chromium and fails if the screenshot is
# missing or blank (run on purpose, not by CI). Installs Debian's chromium if it is absent.
#
#   scripts/check-report.sh RUN_DIR [SCREENSHOT.png]
#
# The screenshot (1400 × 4000, the top of the page) goes to SCREENSHOT.png, by default
# ${TMPDIR:-/tmp}/report-<run folder>.png; its path is printed.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 RUN_DIR [SCREENSHOT.png]" >&2
    exit 2
fi
dir=$(cd "$1" && pwd)
page="$dir/report.html"
if [[ ! -f $page ]]; then
    echo "$0: no report.html in $dir" >&2
    exit 1
fi
shot=${2:-${TMPDIR:-/tmp}/report-$(basename "$dir").png}
chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
    echo "$0: installing chromium (apt-get)" >&2
    apt-get install -y chromium >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$shot"
timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --screenshot="$shot" --window-size=1400,4000 \
    "file://$page" >"$work/chromium.log" 2>&1 || {
    echo "$0: chromium failed:" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
}
if [[ ! -s $shot ]]; then
    echo "$0: chromium wrote no screenshot" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
fi

# blank: (almost) one colour; a rendered report has text, tables and plots in many
cat >"$work/Blank.java" <<'JAVA'
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

public class Blank {
    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        if (image == null) {
            System.out.println("not a readable image");
            System.exit(1);
        }
        int background = image.getRGB(0, 0);
        long other = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                other += rgb == background ? 0 : 1;
            }
        }
        double share = (double) other / ((long) image.getWidth() * image.getHeight());
        System.out.printf("%d × %d, %d colours, %.1f%% not background%n",
                image.getWidth(), image.getHeight(), colours.size(), 100 * share);
        System.exit(colours.size() >= 16 && share >= 0.01 ? 0 : 1);
    }
}
JAVA
if ! summary=$(java -Djava.awt.headless=true "$work/Blank.java" "$shot"); then
    echo "$0: the screenshot $shot is blank: $summary" >&2
    exit 1
fi
echo "$shot: $summary"
