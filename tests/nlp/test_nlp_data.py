"""The train/dev split, corrections and the content hash."""

from __future__ import annotations

from nlp.data import Correction, Dataset, is_dev, split_by_hash, with_corrections


def sample() -> Dataset:
    texts = [f"phản ánh số {i}" for i in range(500)]
    return Dataset(texts, {"topic": ["other"] * 500})


def test_split_is_about_one_fifth_dev_and_the_same_every_time() -> None:
    train, dev = split_by_hash(sample(), 20)
    assert 60 <= len(dev) <= 140
    assert len(train) + len(dev) == 500
    assert split_by_hash(sample(), 20)[1].texts == dev.texts


def test_split_ignores_case_spacing_and_tone_style() -> None:
    assert is_dev("Hòa giải  tốt", 20) == is_dev("hoà giải tốt", 20)


def test_correction_overrides_the_label_of_the_same_text() -> None:
    data = Dataset(["Chờ lâu quá", "Cán bộ tốt"], {"topic": ["other", "staff_attitude"]})
    fixed = with_corrections(data, [Correction("chờ lâu quá", "topic", "processing_time")])
    assert fixed.texts == data.texts
    assert fixed.labels["topic"] == ["processing_time", "staff_attitude"]


def test_correction_of_a_new_text_adds_a_row_labelled_only_in_its_column() -> None:
    data = Dataset(["Chờ lâu quá"], {"topic": ["processing_time"], "urgent": ["no"]})
    fixed = with_corrections(data, [("Bị đòi tiền", "urgent", "yes")])
    assert fixed.texts == ["Chờ lâu quá", "Bị đòi tiền"]
    assert fixed.labels == {"topic": ["processing_time", ""], "urgent": ["no", "yes"]}
    assert fixed.labelled("topic") == (["Chờ lâu quá"], ["processing_time"])


def test_content_hash_changes_with_a_label() -> None:
    data = sample()
    fixed = with_corrections(data, [Correction(data.texts[0], "topic", "fees")])
    assert data.sha256() != fixed.sha256()
    assert data.sha256() == sample().sha256()
