"""Evaluation metrics ablab recognises, with their usual direction.

Specific entries come before general ones (``top-1 accuracy`` before ``accuracy``) because the
first matching entry wins.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricEntry:
    """One metric."""

    key: str
    """Canonical name, also the merge key."""
    pattern: str
    """Regex source, case-insensitive; wrap short acronyms in ``(?-i:...)``."""
    higher_is_better: bool | None
    """Usual direction, None when it depends."""


METRIC_ENTRIES: tuple[MetricEntry, ...] = (
    MetricEntry("top-1 accuracy", r"\btop-?1(?:\s+acc(?:uracy)?\.?)?(?![\w-])", True),
    MetricEntry("top-5 accuracy", r"\btop-?5(?:\s+acc(?:uracy)?\.?)?(?![\w-])", True),
    MetricEntry("k-NN accuracy", r"\bk-?NN\s+acc(?:uracy)?\b", True),
    MetricEntry("balanced accuracy", r"\bbalanced acc(?:uracy)?\b", True),
    MetricEntry("mAP", r"(?-i:\bmAP(?:@[\d.:]+)?\b)|\bmean average precision\b", True),
    MetricEntry("AP50", r"(?-i:\bAP[_ ]?\{?50\}?)", True),
    MetricEntry("AP75", r"(?-i:\bAP[_ ]?\{?75\}?)", True),
    MetricEntry(
        "mIoU", r"(?-i:\bmIoU\b)|\bmean IoU\b|\bmean intersection[- ]over[- ]union\b", True
    ),
    MetricEntry("IoU", r"(?-i:\bIoU\b)|\bintersection[- ]over[- ]union\b", True),
    MetricEntry("AUROC", r"\bAUROC\b|\bAUC-ROC\b|\barea under the ROC curve\b", True),
    MetricEntry("AUPRC", r"\bAUPRC\b|\bAUC-PR\b", True),
    MetricEntry("AUC", r"(?-i:\bAUC\b)", True),
    MetricEntry("macro-F1", r"\bmacro[- ]F1\b", True),
    MetricEntry("micro-F1", r"\bmicro[- ]F1\b", True),
    MetricEntry("F1", r"\bF1(?:[- ]score)?\b|\bF-?score\b", True),
    MetricEntry("BLEU", r"(?-i:\bBLEU(?:-\d)?\b)", True),
    MetricEntry("ROUGE-L", r"\bROUGE-L\b", True),
    MetricEntry("ROUGE", r"(?-i:\bROUGE(?:-[12])?\b)", True),
    MetricEntry("METEOR", r"(?-i:\bMETEOR\b)", True),
    MetricEntry("CIDEr", r"\bCIDEr\b", True),
    MetricEntry("FID", r"(?-i:\bFID\b)|\bFréchet Inception Distance\b", False),
    MetricEntry("KID", r"(?-i:\bKID\b)", False),
    MetricEntry("FVD", r"(?-i:\bFVD\b)", False),
    MetricEntry("Inception Score", r"\binception score\b|(?-i:\bIS\b)(?=\s*[↑(]|$)", True),
    MetricEntry("PSNR", r"(?-i:\bPSNR\b)", True),
    MetricEntry("SSIM", r"(?-i:\bSSIM\b)", True),
    MetricEntry("LPIPS", r"(?-i:\bLPIPS\b)", False),
    MetricEntry("CLIP score", r"\bCLIP[- ]?score\b", True),
    MetricEntry("perplexity", r"\bperplexity\b|(?-i:\bPPL\b)", False),
    MetricEntry("bits per dimension", r"\bbits[- ]per[- ]dim(?:ension)?\b|(?-i:\bBPD\b)", False),
    MetricEntry("NLL", r"(?-i:\bNLL\b)|\bnegative log-likelihood\b", False),
    MetricEntry("exact match", r"\bexact match\b|(?-i:\bEM\b)", True),
    MetricEntry("pass@k", r"\bpass@\d+\b|\bpass@k\b", True),
    MetricEntry("NDCG", r"\bn?DCG(?:@\d+)?\b", True),
    MetricEntry("MRR", r"(?-i:\bMRR\b)|\bmean reciprocal rank\b", True),
    MetricEntry("Hits@k", r"\bhits@\d+\b", True),
    MetricEntry("recall@k", r"\b(?:recall|R)@\d+\b|\brecall@k\b", True),
    MetricEntry("precision@k", r"\b(?:precision|P)@\d+\b", True),
    MetricEntry("Chamfer distance", r"\bChamfer(?: distance)?\b|(?-i:\bCD\b)(?=\s*[↓(])", False),
    MetricEntry("EPE", r"(?-i:\bEPE\b)|\bend-point error\b", False),
    MetricEntry("ADE", r"(?-i:\bADE\b)(?!20K)", False),
    MetricEntry("FDE", r"(?-i:\bFDE\b)", False),
    MetricEntry("RMSE", r"(?-i:\bRMSE\b)|\broot mean squared error\b", False),
    MetricEntry("MAE", r"(?-i:\bMAE\b)(?=\s*[↓(]|$)|\bmean absolute error\b", False),
    MetricEntry("WER", r"(?-i:\bWER\b)|\bword error rate\b", False),
    MetricEntry("CER", r"(?-i:\bCER\b)|\bcharacter error rate\b", False),
    MetricEntry("ECE", r"(?-i:\bECE\b)|\bexpected calibration error\b", False),
    MetricEntry("Dice", r"\bDice(?: score| coefficient)?\b", True),
    MetricEntry("success rate", r"\bsuccess rate\b", True),
    MetricEntry("return", r"\b(?:average|mean|episodic) (?:return|reward)\b", True),
    MetricEntry("error rate", r"\b(?:test |top-1 )?error(?: rate)?\b(?=\s*(?:\(%\)|%|↓))", False),
    MetricEntry("precision", r"\bprecision\b", True),
    MetricEntry("recall", r"\brecall\b", True),
    MetricEntry("pairwise agreement", r"\bpairwise agreement\b", True),
    MetricEntry("accuracy", r"\bacc(?:uracy)?\b\.?", True),
)
"""Known metrics, specific before general."""

TASK_FALLBACK_METRICS: tuple[tuple[str, str], ...] = (
    (r"\bsegment", "mIoU"),
    (r"\bdetect", "mAP"),
    (r"\b(?:image|video) (?:generation|synthesis)|\bdiffusion\b|\bGANs?\b", "FID"),
    (r"\btranslation\b", "BLEU"),
    (r"\bsummari[sz]", "ROUGE-L"),
    (r"\blanguage model", "perplexity"),
    (r"\bretriev|\brecommend", "recall@k"),
    (r"\bclassif", "accuracy"),
    (r"\bregress", "RMSE"),
)
"""When a paper names no metric: task words -> the metric that task is usually judged by."""
