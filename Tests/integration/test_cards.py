"""Share cards draw a show's SVG image sharp (issue #16): librsvg draws an SVG inside an SVG at the
inner one's own size and scales that up, so onair renders the artwork at the card's resolution
first. Checked on the card's pixels, decoded by ffmpeg: a hard black/white edge in a 4 px SVG
stays a hard edge in the 320 px box."""
import re
import shutil
import subprocess

import numpy

EDGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" viewBox="0 0 4 4">
  <rect x="0" y="0" width="2" height="4" fill="#000"/><rect x="2" y="0" width="2" height="4" fill="#fff"/>
</svg>"""


def test_a_shows_svg_image_is_sharp_on_its_share_card(bin_dir, repo_root, tmp_path):
    content = tmp_path / "Content"
    shutil.copytree(repo_root / "Content", content)
    (content / "images" / "edge.svg").write_text(EDGE_SVG)
    show = content / "shows" / "night-owls.md"
    show.write_text(show.read_text().replace("images/night-owls.svg", "images/edge.svg"))
    site = tmp_path / "site"
    result = subprocess.run([str(bin_dir / "onair"), "build", "--content", str(content), "--templates",
                             str(repo_root / "Templates"), "--output", str(site)], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    card = re.search(r'og:image" content="[^"]*/(cards/[0-9a-f]+\.png)"', (site / "shows/night-owls/index.html").read_text())
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(site / card.group(1)), "-f", "rawvideo", "-pix_fmt", "gray",
                          "-"], capture_output=True, timeout=60, check=True).stdout
    pixels = numpy.frombuffer(raw, dtype=numpy.uint8).reshape(630, 1200)
    # card.svg's artwork box: x 820–1140, y 155–475. Across its middle row: black, then white.
    row = pixels[315, 830:1130].astype(int)
    assert row[:100].max() < 40 and row[-100:].min() > 215, (row[:5], row[-5:])
    between = int(numpy.count_nonzero((row > 40) & (row < 215)))
    assert between <= 3, f"{between} grey pixels across the edge (blurred): {row[130:170].tolist()}"
