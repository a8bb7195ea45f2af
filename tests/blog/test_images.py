import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.images import MAX_UPLOAD_BYTES, clean_image_upload
from tests.helpers import image_bytes, jpeg_with_gps_and_rotation, upload


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats(fmt):
    clean = clean_image_upload(upload(image_bytes(fmt, mode="RGB" if fmt != "GIF" else "P")))
    assert clean.format == fmt


def test_bmp_is_refused():
    with pytest.raises(ValidationError) as info:
        clean_image_upload(upload(image_bytes("BMP"), "x.bmp"))
    assert info.value.code == "unsupported_format"


def test_non_image_renamed_jpg_is_refused():
    with pytest.raises(ValidationError) as info:
        clean_image_upload(upload(b"%PDF-1.4 this is not a picture" * 50))
    assert info.value.code == "not_image"


def test_truncated_image_is_refused():
    data = image_bytes(size=(2000, 2000))
    with pytest.raises(ValidationError) as info:
        clean_image_upload(upload(data[: len(data) // 3]))
    assert info.value.code == "corrupt"


def test_decompression_bomb_is_refused_before_decoding():
    # A tiny file that claims to be 10,000 × 10,000 pixels.
    data = image_bytes("PNG", size=(10_000, 10_000), mode="1")
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as info:
        clean_image_upload(upload(data, "bomb.png"))
    assert info.value.code == "too_many_pixels"


def test_oversize_file_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationError) as info:
        clean_image_upload(big)
    assert info.value.code == "too_large"


def test_exif_orientation_is_applied_and_all_metadata_dropped():
    clean = clean_image_upload(upload(jpeg_with_gps_and_rotation()))
    assert clean.image.size == (100, 300)  # upright
    assert not clean.image.info.get("exif")
    assert len(clean.image.getexif()) == 0


def test_renditions_record_their_stored_size(settings, tmp_path):
    from django.core.files.storage import default_storage

    from accounts.images import save_renditions

    clean = clean_image_upload(upload(image_bytes(size=(1000, 500))))
    renditions = save_renditions(clean, folder="posts")
    assert [r["width"] for r in renditions] == [400, 800, 1000]
    for rendition in renditions:
        assert rendition["bytes"] == default_storage.size(rendition["name"]) > 0
