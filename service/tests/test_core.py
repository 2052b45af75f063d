"""Generator, imaging, quality definition and vectorizer, without the web layer."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from conftest import png_bytes
from svgai import generator, imaging, quality
from svgai.vectorize import ParameterError, VectorizeParams, vectorize


def test_generator_is_deterministic_and_balanced():
    first = [s.image.tobytes() for s in generator.generate(77, 8)]
    again = [generator.generate_one(77, i).image.tobytes() for i in range(8)]
    assert first == again
    assert [s.label for s in generator.generate(77, 8)] == [0, 1, 2, 3, 0, 1, 2, 3]
    assert generator.dataset_hash(list(generator.generate(77, 8))) != generator.dataset_hash(
        list(generator.generate(78, 8)))


def test_flatten_composites_transparency_onto_white():
    rgba = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    rgba.putpixel((0, 0), (0, 0, 255, 255))
    rgba.putpixel((1, 0), (0, 0, 0, 128))
    flat = imaging.flatten(rgba)
    assert flat[1, 1].tolist() == [255, 255, 255]
    assert flat[0, 0].tolist() == [0, 0, 255]
    assert flat[0, 1].tolist() == [127, 127, 127]


def test_ssim_is_one_for_identical_and_drops_with_damage():
    rgb = imaging.flatten(generator.generate_one(5, 0).image)
    assert quality.ssim(rgb, rgb) == pytest.approx(1.0)
    noisy = np.clip(rgb.astype(int) + np.random.default_rng(0).normal(0, 40, rgb.shape), 0, 255).astype(np.uint8)
    assert quality.ssim(rgb, noisy) < 0.8
    assert quality.ssim(rgb, noisy) == pytest.approx(quality.ssim(noisy, rgb))


def test_ssim_of_rendered_svg_matches_a_known_square():
    rgb = np.full((40, 40, 3), 255, dtype=np.uint8)
    rgb[10:30, 10:30] = (0, 0, 0)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect x="10" y="10" width="20" ' \
          'height="20"/></svg>'
    assert quality.measure(rgb, svg).ssim > 0.999
    assert quality.measure(rgb, svg.replace('x="10"', 'x="14"')).ssim < 0.9


@pytest.mark.parametrize("converter", ["potrace", "potrace_color"])
def test_vectorize_returns_parseable_svg(converter):
    rgb = imaging.flatten(generator.generate_one(9, 0).image)
    result = vectorize(rgb, converter, VectorizeParams())
    root = ET.fromstring(result.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == str(rgb.shape[1])
    assert result.path_count >= 1


def test_parameters_are_validated():
    assert VectorizeParams.from_mapping("potrace_color", {"colors": 8, "alphamax": 0.5}).colors == 8
    for bad in ({"colors": 1}, {"colors": 99}, {"alphamax": 2}, {"turdsize": 1.5}, {"nope": 1}, {"colors": "8"},
                {"threshold": 100}):
        with pytest.raises(ParameterError):
            VectorizeParams.from_mapping("potrace_color", bad)
    with pytest.raises(ParameterError, match="does not apply"):
        VectorizeParams.from_mapping("potrace", {"colors": 4})
    with pytest.raises(ParameterError, match="does not apply"):
        VectorizeParams.from_mapping("smart_auto", {"turdsize": 4})
    assert VectorizeParams().for_converter("potrace") == {"turdsize": 2, "alphamax": 1.0, "opttolerance": 0.2,
                                                          "threshold": 128}


def test_decode_refuses_bombs_and_garbage_cheaply():
    with pytest.raises(imaging.ImageError) as empty:
        imaging.decode(b"", 10_000)
    assert empty.value.status == 400
    with pytest.raises(imaging.ImageError) as garbage:
        imaging.decode(b"GIF89a....", 10_000)
    assert garbage.value.status == 415
    big = png_bytes(Image.new("RGB", (200, 200)))
    with pytest.raises(imaging.ImageError) as too_big:
        imaging.decode(big, 10_000)
    assert too_big.value.status == 413
    with pytest.raises(imaging.ImageError) as truncated:
        imaging.decode(big[: len(big) // 2], 100_000)
    assert truncated.value.status == 422


@pytest.mark.parametrize("mode, fmt", [("RGB", "JPEG"), ("P", "PNG"), ("LA", "PNG"), ("RGBA", "PNG")])
def test_decode_accepts_common_encodings(mode, fmt):
    buffer = io.BytesIO()
    generator.generate_one(11, 0).image.convert(mode).save(buffer, fmt)
    decoded = imaging.decode(buffer.getvalue(), 1_000_000)
    assert decoded.rgba.mode == "RGBA" and decoded.format == fmt.lower()


def test_sixteen_bit_greyscale_png_keeps_its_tones():
    grey = Image.new("L", (16, 16), 100).convert("I").point(lambda v: v * 257)  # 16-bit value 25700
    buffer = io.BytesIO()
    grey.save(buffer, "PNG")
    decoded = imaging.decode(buffer.getvalue(), 1_000_000)
    assert np.asarray(decoded.rgba)[0, 0].tolist() == [100, 100, 100, 255]


@pytest.mark.parametrize("converter", ["potrace", "potrace_color"])
def test_the_direct_renderer_draws_what_cairosvg_draws(converter):
    """quality.render_svg draws the service's own SVGs with cairo directly; cairosvg is the reference."""
    import cairosvg

    for index in range(8):
        rgb = imaging.flatten(generator.generate_one(generator.EVAL_SEED, index).image)
        svg = vectorize(rgb, converter, VectorizeParams(colors=8)).svg
        height, width = rgb.shape[:2]
        assert quality._OWN_SVG.match(svg), "vectorize() output must take the direct path"
        direct = quality.render_svg(svg, width, height)
        png = cairosvg.svg2png(bytestring=svg.encode(), output_width=width, output_height=height)
        reference = imaging.flatten(Image.open(io.BytesIO(png)))
        diff = np.abs(direct.astype(int) - reference.astype(int))
        assert diff.mean() < 0.2 and (diff > 16).mean() < 0.001, (index, diff.mean(), diff.max())


def test_other_svgs_still_render_through_cairosvg():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><circle cx="2" cy="2" r="2" '
           'fill="#ff0000"/></svg>')
    assert quality._OWN_SVG.match(svg) is None
    assert quality.render_svg(svg, 4, 4)[2, 2].tolist() == [255, 0, 0]


def test_colour_error_sees_what_luma_ssim_misses():
    red = np.zeros((32, 32, 3), dtype=np.uint8)
    red[...] = (200, 40, 40)
    grey = np.full_like(red, int(round(0.299 * 200 + 0.587 * 40 + 0.114 * 40)))  # the same luma
    assert quality.ssim(red, grey) > 0.99
    assert quality.colour_error(red, grey) == 1.0
    assert quality.Quality(ssim=0.99, mse=0.0, psnr=0.0, colour_error=1.0).score == 0.0


def test_anti_aliased_edges_make_no_halo_layers():
    """A black disc anti-aliased onto white is two colours: the greys at its edge must not get a layer."""
    from PIL import ImageDraw

    big = Image.new("RGB", (1024, 1024), "white")
    ImageDraw.Draw(big).ellipse((160, 160, 864, 864), fill=(10, 10, 10))
    ImageDraw.Draw(big).rectangle((420, 60, 600, 980), fill=(200, 30, 40))
    rgb = np.asarray(big.resize((128, 128), Image.Resampling.LANCZOS))  # the resize anti-aliases every edge
    assert len({tuple(p) for p in rgb.reshape(-1, 3)}) > 20  # many edge mixes to tempt the palette
    result = vectorize(rgb, "potrace_color", VectorizeParams(colors=6))
    assert len(result.palette) == 3, result.palette  # white, black, red: no grey or pink outline layers


def test_two_tone_tells_colour_art_from_ink():
    from svgai.inference import two_tone

    ink = np.full((64, 64, 3), 255, dtype=np.uint8)
    ink[20:40, 10:50] = (20, 20, 20)
    art = ink.copy()
    art[:, :20] = (230, 60, 60)
    art[40:, :] = (40, 90, 220)
    assert two_tone(ink) and not two_tone(art)


def test_flatten_matches_float_compositing_for_every_colour_and_alpha():
    # The integer fast path must give exactly what round(c * a/255 + 255 * (1 - a/255)) gives.
    c, a = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    rgba = np.stack([c, 255 - c, c // 3, a], axis=-1).astype(np.uint8)
    expected = np.clip((rgba[..., :3] * (a[..., None] / 255.0) + 255.0 * (1 - a[..., None] / 255.0)).round(),
                       0, 255).astype(np.uint8)
    assert np.array_equal(imaging.flatten(Image.fromarray(rgba)), expected)
    opaque = rgba.copy()
    opaque[..., 3] = 255
    assert np.array_equal(imaging.flatten(Image.fromarray(opaque)), opaque[..., :3])


def test_quality_filter_is_the_plain_gaussian_sum():
    images = np.random.default_rng(3).uniform(0, 255, (2, 30, 27)).astype(np.float32)
    n, kernel = quality._WINDOW, quality._KERNEL
    expected = np.zeros((2, 30 - n + 1, 27 - n + 1))
    for dy in range(n):
        for dx in range(n):
            expected += kernel[dy] * kernel[dx] * images[:, dy:dy + 30 - n + 1, dx:dx + 27 - n + 1]
    assert np.allclose(quality._filter(images), expected, rtol=1e-5, atol=1e-3)


def test_measure_errors_are_exact():
    rgb = np.full((20, 20, 3), 100, dtype=np.uint8)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20">'
           '<rect width="20" height="20" fill="#646464"/></svg>')
    assert quality.measure(rgb, svg).mse == 0 and quality.measure(rgb, svg).colour_error == 0
    rgb[:5, :, 1] = 140  # a quarter of the pixels 40 off in one channel, the rest exact
    q = quality.measure(rgb, svg)
    assert q.colour_error == 0.25 and q.mse == pytest.approx(40 ** 2 / 4 / 3)
    rgb[:5, :, 1] = 130  # exactly at the tolerance: not off
    assert quality.measure(rgb, svg).colour_error == 0
