"""What the file says about how the picture was made: C2PA, AI labels, generator settings,
software names, the EXIF preview and the JPEG tables each become findings of the right
strength, with reasons in both languages."""

from __future__ import annotations

import html
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from tradeshield.forensics import provenance
from tradeshield.forensics.findings import DetectorResult, Strength
from tradeshield.forensics.loading import load_image
from tradeshield.forensics.provenance.content_credentials import ManifestReading, manifest_findings
from tradeshield.forensics.provenance.tables import make_finding, tables
from tradeshield.forensics.provenance.xmp import parse_xmp

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"
C2PA = DATASET / "provenance" / "c2pa"


@pytest.fixture(scope="module")
def dataset() -> Path:
    if not DATASET.is_dir():
        pytest.skip("shared forensics dataset not present")
    return DATASET


def photo() -> Image.Image:
    pixels = np.random.default_rng(3).integers(60, 200, (96, 128, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def jpeg(**options: object) -> bytes:
    out = io.BytesIO()
    photo().save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def png(text: dict[str, str]) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    photo().save(out, "PNG", pnginfo=info)
    return out.getvalue()


def xmp_packet(namespace: str, prefix: str, body: str) -> str:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:{prefix}="{namespace}">{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def codes(result: DetectorResult) -> dict[str, Strength]:
    return {finding.code: finding.strength for finding in result.findings}


def detect(data: bytes) -> DetectorResult:
    return provenance.detect(load_image(data))


def test_c2pa_manifest_of_a_generated_image_is_proof(dataset: Path) -> None:
    found = codes(detect((C2PA / "C.jpg").read_bytes()))
    assert found["c2pa_synthetic"] is Strength.PROOF


def test_pixels_changed_after_signing_is_proof(dataset: Path) -> None:
    result = detect((C2PA / "XCA.jpg").read_bytes())
    assert codes(result)["c2pa_pixels_changed"] is Strength.PROOF
    finding = next(f for f in result.findings if f.code == "c2pa_pixels_changed")
    assert "assertion.dataHash.mismatch" in finding.details["failures"]


def test_broken_c2pa_signature_is_proof(dataset: Path) -> None:
    found = codes(detect((C2PA / "E-sig-CA.jpg").read_bytes()))
    assert found["c2pa_signature_invalid"] is Strength.PROOF


def test_valid_manifest_recording_only_colour_edits_is_information(dataset: Path) -> None:
    result = detect((C2PA / "CA.jpg").read_bytes())
    assert codes(result)["c2pa_adjusted"] is Strength.INFO
    assert not [f for f in result.findings if f.code.startswith("c2pa") and f.score > 0]


def test_file_without_manifest_has_no_c2pa_finding(dataset: Path) -> None:
    assert not [c for c in codes(detect((C2PA / "A.jpg").read_bytes())) if c.startswith("c2pa")]


def test_remote_manifest_is_noted_without_fetching_it(dataset: Path) -> None:
    assert codes(detect((C2PA / "cloud.jpg").read_bytes()))["c2pa_remote_manifest"] is Strength.INFO


def test_gb45438_aigc_label_in_xmp_is_proof_and_names_the_producer() -> None:
    label = (
        '{"Label":"1","ContentProducer":"001191101080000000000000000","ProduceID":"p-42",'
        '"ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}'
    )
    escaped = html.escape(label)
    body = f"<TC260:AIGC>{escaped}</TC260:AIGC>"
    packet = xmp_packet("http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260", body)
    result = detect(jpeg(xmp=packet.encode()))
    finding = next(f for f in result.findings if f.code == "aigc_label")
    assert finding.strength is Strength.PROOF
    assert "001191101080000000000000000" in finding.reason["en"]
    assert "GB 45438" in finding.reason["zh"]
    assert finding.details["label"]["ProduceID"] == "p-42"


def test_aigc_label_saying_possibly_ai_is_strong() -> None:
    body = "<TC260:AIGC>{&quot;Label&quot;:&quot;2&quot;}</TC260:AIGC>"
    packet = xmp_packet("http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260", body)
    assert codes(detect(jpeg(xmp=packet.encode())))["aigc_label_possible"] is Strength.STRONG


def test_iptc_trained_algorithmic_media_is_proof() -> None:
    term = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    body = f"<Iptc4xmpExt:DigitalSourceType>{term}</Iptc4xmpExt:DigitalSourceType>"
    packet = xmp_packet("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt", body)
    assert codes(detect(jpeg(xmp=packet.encode())))["iptc_ai_generated"] is Strength.PROOF


def test_iptc_composite_with_ai_written_as_attribute_is_strong() -> None:
    term = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{term}"/></rdf:RDF></x:xmpmeta>'
    )
    assert codes(detect(jpeg(xmp=packet.encode())))["iptc_ai_composite"] is Strength.STRONG


def test_stable_diffusion_parameters_in_png_text_are_proof() -> None:
    parameters = (
        "a torn leather handbag, studio light\nNegative prompt: blurry\n"
        "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x512"
    )
    result = detect(png({"parameters": parameters}))
    finding = next(f for f in result.findings if f.code == "generator_parameters")
    assert finding.strength is Strength.PROOF
    assert finding.details["key"] == "parameters"


def test_comfyui_workflow_chunk_is_proof() -> None:
    workflow = '{"3": {"class_type": "KSampler", "inputs": {"seed": 5}}}'
    assert codes(detect(png({"prompt": workflow})))["generator_parameters"] is Strength.PROOF


def test_innocent_png_comment_is_not_a_generator() -> None:
    found = codes(detect(png({"Comment": "Steps: take the parcel upstairs"})))
    assert "generator_parameters" not in found


def test_meitu_in_exif_software_is_a_moderate_editor_finding() -> None:
    exif = Image.Exif()
    exif[0x0131] = "MeituPic 9.1"
    result = detect(jpeg(exif=exif.tobytes()))
    finding = next(f for f in result.findings if f.code == "software_editor")
    assert finding.strength is Strength.MODERATE
    assert "美图" in finding.reason["zh"]
    assert finding.details["matches"][0]["field"] == "exif:Software"


def test_ai_generator_named_in_xmp_creator_tool_is_strong() -> None:
    body = "<xmp:CreatorTool>Midjourney v6</xmp:CreatorTool>"
    packet = xmp_packet("http://ns.adobe.com/xap/1.0/", "xmp", body)
    assert codes(detect(jpeg(xmp=packet.encode())))["software_ai_generator"] is Strength.STRONG


def test_chinese_ai_app_name_is_matched() -> None:
    body = "<xmp:CreatorTool>即梦AI 2.0</xmp:CreatorTool>"
    packet = xmp_packet("http://ns.adobe.com/xap/1.0/", "xmp", body)
    result = detect(jpeg(xmp=packet.encode()))
    finding = next(f for f in result.findings if f.code == "software_ai_generator")
    assert finding.strength is Strength.STRONG
    assert "即梦" in finding.reason["zh"]


def test_camera_exif_is_information_that_lowers_nothing() -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Xiaomi", "23127PN0CC"
    exif.get_ifd(0x8769)[0x9003] = "2025:03:01 09:30:00"
    result = detect(jpeg(exif=exif.tobytes()))
    finding = next(f for f in result.findings if f.code == "camera_original_exif")
    assert finding.strength is Strength.INFO
    assert finding.score == 0.0
    assert "Xiaomi 23127PN0CC" in finding.reason["en"]


def test_stripped_software_jpeg_says_no_metadata_and_resaved_weakly() -> None:
    found = codes(detect(jpeg()))
    assert found["no_metadata"] is Strength.INFO
    assert found["jpeg_resaved_by_software"] is Strength.WEAK


def test_exif_preview_betrays_a_stain_painted_after_capture(dataset: Path) -> None:
    original = (dataset / "real" / "camera" / "mei_Canon_PowerShot_A20.jpg").read_bytes()
    with Image.open(io.BytesIO(original)) as camera:
        exif_block = camera.info["exif"]
        edited = camera.convert("RGB")
    width, height = edited.size
    box = (width * 0.35, height * 0.4, width * 0.6, height * 0.7)
    ImageDraw.Draw(edited).ellipse(box, fill=(235, 230, 215))  # a pale mould stain
    out = io.BytesIO()
    edited.save(out, "JPEG", quality=92, exif=exif_block)  # the editor kept the old EXIF

    result = detect(out.getvalue())
    finding = next(f for f in result.findings if f.code == "exif_thumbnail_mismatch")
    assert finding.strength is Strength.STRONG
    assert finding.region is not None
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    assert finding.region.x <= centre_x <= finding.region.x + finding.region.width
    assert finding.region.y <= centre_y <= finding.region.y + finding.region.height
    assert result.heatmap is not None
    assert result.heatmap.shape == (height, width)
    assert result.heatmap[int(centre_y), int(centre_x)] > 0.5


def test_unedited_camera_photo_preview_matches(dataset: Path) -> None:
    result = detect((dataset / "real" / "camera" / "mei_Canon_PowerShot_A20.jpg").read_bytes())
    assert "exif_thumbnail_mismatch" not in codes(result)
    assert result.heatmap is None


def test_every_finding_code_has_both_catalogue_texts() -> None:
    for code in tables().weights:
        texts = make_finding(
            code,
            generator="g",
            actions="a",
            producer="p",
            key="k",
            software="s",
            quality=90,
            make="m",
            model="n",
        ).reason
        assert texts["en"] != f"reason.{code}", code
        assert texts["zh"] != f"reason.{code}", code


def test_xmp_with_entity_declarations_is_not_parsed() -> None:
    bomb = (
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x:xmpmeta xmlns:x="adobe:ns:meta/">&a;</x:xmpmeta>'
    )
    assert parse_xmp(bomb) == {}


def test_result_names_detector_and_versions() -> None:
    result = detect(jpeg())
    assert result.detector == "provenance"
    assert result.version.startswith("provenance-1.0.0+tables-")


def test_signed_camera_capture_without_edits_is_reassuring_information() -> None:
    reading = ManifestReading(
        state="Trusted",
        source_types=["http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"],
        actions=["c2pa.created"],
        software=["Leica M11-P"],
    )
    (finding,) = manifest_findings(reading)
    assert finding.code == "c2pa_camera_capture"
    assert finding.strength is Strength.INFO
    assert finding.details["signer_trusted"] is True


def test_signed_generative_fill_is_proof_and_names_the_edit() -> None:
    reading = ManifestReading(
        state="Valid",
        source_types=[
            "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
        ],
        actions=["c2pa.opened", "c2pa.placed"],
        software=["Adobe_Photoshop/25.0 adobe_c2pa/0.7.6"],
    )
    found = {f.code: f for f in manifest_findings(reading)}
    assert found["c2pa_ai_composite"].strength is Strength.PROOF
    assert "Adobe_Photoshop" in found["c2pa_ai_composite"].reason["en"]
    assert found["c2pa_content_edited"].strength is Strength.STRONG
    assert "c2pa.placed" in found["c2pa_content_edited"].reason["zh"]
