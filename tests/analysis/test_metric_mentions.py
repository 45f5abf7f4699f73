from __future__ import annotations

from ablab.analysis.metrics import clean_header, fallback_metric, find_metrics
from ablab.schema import SectionRole, Table

from .builders import section, sentences_of


def _run(*sections):  # type: ignore[no-untyped-def]
    tables = [(s, t) for s in sections for t in s.tables]
    return find_metrics(sentences_of(*sections), tables)


def test_header_cleaning() -> None:
    assert clean_header("Top-1 Acc (%) ↑") == "Top-1 Acc"
    assert clean_header("FID$\\downarrow$") == "FID"
    assert clean_header("**mIoU** [%]") == "mIoU"


def test_table_headers_rank_first_and_keep_the_papers_spelling() -> None:
    table = Table(
        header=["Method", "Top-1 Acc (%) ↑", "FID ↓", "Params"], rows=[["a", "1", "2", "3"]]
    )
    results = section(
        "Results", "We also report accuracy and recall.", SectionRole.RESULTS, tables=[table]
    )
    found = _run(results)
    names = [m.name for m in found]
    assert names[:2] == ["Top-1 Acc", "FID"]
    by_name = {m.name: m for m in found}
    assert by_name["FID"].higher_is_better is False
    assert by_name["Top-1 Acc"].higher_is_better is True
    assert "Params" not in by_name and "Method" not in by_name
    # the generic "accuracy" in text counts for the paper's main specific accuracy
    assert by_name["Top-1 Acc"].mentions == 2
    assert by_name["recall"].mentions == 1


def test_unknown_header_with_an_arrow_is_a_metric() -> None:
    table = Table(header=["Model", "Collision rate ↓"], rows=[])
    (metric,) = _run(section("Results", "", SectionRole.RESULTS, tables=[table]))
    assert metric.name == "Collision rate" and metric.higher_is_better is False


def test_metrics_in_text() -> None:
    found = _run(
        section(
            "Experiments",
            "We report BLEU and ROUGE-L on summaries, and perplexity. BLEU improves by 2 points.",
            SectionRole.EXPERIMENTS,
        )
    )
    by_name = {m.name: m for m in found}
    assert by_name["BLEU"].mentions == 2
    assert by_name["perplexity"].higher_is_better is False
    assert found[0].name == "BLEU"
    assert by_name["ROUGE-L"].evidence[0].section_title == "Experiments"


def test_case_sensitive_short_metrics() -> None:
    found = _run(section("Experiments", "This is it; the map shows them.", SectionRole.EXPERIMENTS))
    assert found == []


def test_related_work_metrics_are_ignored() -> None:
    related = section("Related Work", "Prior work reports FID.", SectionRole.RELATED_WORK)
    assert _run(related) == []


def test_fallback_metric_from_task_words() -> None:
    assert fallback_metric("We study semantic segmentation of street scenes.") == "mIoU"
    assert fallback_metric("An image classification method.") == "accuracy"
    assert fallback_metric("A theory of everything.") is None


def test_dataset_prefixed_columns_share_the_metric_name() -> None:
    table = Table(header=["Method", "BBBP ROC-AUC ↑", "Tox21 ROC-AUC ↑", "ESOL RMSE ↓"], rows=[])
    found = _run(section("Results", "", SectionRole.RESULTS, tables=[table]))
    assert [m.name for m in found] == ["ROC-AUC", "ESOL RMSE"]
    assert found[1].higher_is_better is False


def test_fallback_metrics_follow_the_order_tasks_are_named() -> None:
    from ablab.analysis.metrics import fallback_metrics

    text = "A backbone for image classification, object detection and semantic segmentation."
    assert fallback_metrics(text) == ["accuracy", "mAP", "mIoU"]
    assert fallback_metrics(text, limit=1) == ["accuracy"]
    assert fallback_metrics("A theory of everything.") == []


def test_top_k_errors_are_not_accuracies() -> None:
    from .builders import section, sentences_of

    found = find_metrics(
        sentences_of(section("Abstract", "We reach 3.57% top-5 error and 19.4% top-1 err.")), []
    )
    names = {m.name: m.higher_is_better for m in found}
    assert names == {"top-5 error": False, "top-1 err": False}  # as the paper writes it


def test_segment_embeddings_are_not_segmentation() -> None:
    assert fallback_metric("A learned segment embedding marks each sentence.") is None
