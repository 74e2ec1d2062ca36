"""Risk in detail for IT: which products carry the amount, and where the data is incomplete."""

from __future__ import annotations

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import (
    SHARED,
    ThemeContext,
    count_texts,
    licence_names,
    money_texts,
    ranked,
    short_products,
)
from sambrief.ingest.products import display_product
from sambrief.text import shorten

KEY = "risk_detail"  # the theme's name in audiences.yaml
DATASETS = ("license_position",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "top_product_exposure",
        "money",
        {"de": "Nachlizenzierungsbedarf des größten Postens", "en": "licence gap of the largest item"},
    ),
    ("top_product_share", "share", {"de": "Anteil des größten Postens", "en": "share of the largest item"}),
    (
        "products_short",
        "count",
        {"de": "unterlizenzierte Produkte", "en": "under-licensed products"},
        {"lower_is_better": True},
    ),
    ("top_products", "count", {"de": "Zahl der größten Posten", "en": "number of largest items"}),
    ("top_products_share", "share", {"de": "Anteil der größten Posten", "en": "share of the largest items"}),
    (
        "second_product_short",
        "count",
        {"de": "fehlende Lizenzen des zweitgrößten Postens", "en": "licences short of the second item"},
    ),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    msg, fmt = ctx.msg, ctx.fmt
    lp = ctx.model.frame("license_position")
    if lp.empty:
        result.warnings.append(msg("risk.no_data"))
        return result
    short = short_products(ctx.model)
    if short.empty:
        return result
    total = float(short["exposure"].fillna(0).sum())
    if short["exposure"].isna().all():  # no short product has a price: no amount, no shares (unknown, not 0 %)
        return _unpriced(ctx, result, short)
    top = short.iloc[0]
    top_share = float(top["exposure"] / total) if total and top["exposure"] == top["exposure"] else 0.0
    unpriced = short[short["exposure"].isna().to_numpy()]
    result.figures = {"top_product_share": round(top_share, 4), "products_short": len(short)}
    if top["exposure"] == top["exposure"]:
        result.figures["top_product_exposure"] = round(float(top["exposure"]), 2)
    amount = fmt.money_short(top["exposure"] if top["exposure"] == top["exposure"] else 0)
    values = dict(
        product=shorten(display_product(str(short.index[0])), 45), share=fmt.percent(top_share), amount=amount
    )
    top5 = float(short["exposure"].fillna(0).iloc[:5].sum() / total) if total else 0.0
    result.figures.update({"top_products": min(5, len(short)), "top_products_share": round(top5, 4)})
    bullets = [ctx.text("bullet_top5", n=len(short), top=fmt.count(min(5, len(short))), share=fmt.percent(top5))]
    if len(short) > 1:
        second = short.iloc[1]
        result.figures["second_product_short"] = float(second["shortfall"])
        bullets.append(
            ctx.text(
                "bullet_second", product=shorten(display_product(str(short.index[1])), 45), n=float(second["shortfall"])
            )
        )
    if len(unpriced):
        shown = ", ".join(shorten(display_product(str(p)), 30) for p in unpriced.index[:2]) + (
            ", …" if len(unpriced) > 2 else ""
        )
        bullets.append(ctx.text("bullet_unpriced", n=len(unpriced), list=shown))
    labels, values_ = ranked(short["exposure"].fillna(0), ctx.top_n, msg("common.other"))
    unpriced_text = msg("risk.unpriced")
    notes = [ctx.text("note")] + [
        f"– {name}: {count} · {unpriced_text if cost is None else cost}"
        for name, count, cost in zip(
            licence_names(ctx.model)[short["row"].to_numpy()].tolist(),
            count_texts(short["shortfall"], fmt),
            money_texts(short["exposure"], fmt),
        )
    ]
    if len(unpriced):  # how to fix it: for the presenter, never on the slide
        notes.append(ctx.text("note_fix_price"))
    result.findings.append(
        ctx.finding(
            "products",
            headline=ctx.text("headline", **values),
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("license_position"),
            key_point=ctx.text("key_point", **values),
            chart=Chart("bar", tuple(labels), tuple(values_), msg("risk.series"), "money") if labels else None,
            priority=18,
        )
    )
    return result


def _unpriced(ctx: ThemeContext, result: ThemeResult, short) -> ThemeResult:  # noqa: ANN001
    """Short products, none with a price: the products with the most licences short, said
    without an amount; the shares of the amount are unknown and absent."""
    msg, fmt = ctx.msg, ctx.fmt
    ordered = short.sort_values("shortfall", ascending=False, kind="stable")
    result.figures = {"products_short": len(short)}
    top = ordered.iloc[0]
    values = dict(
        product=shorten(display_product(str(ordered.index[0])), 45),
        n=float(top["shortfall"]),
        count=fmt.count(len(short)),
    )
    labels, counts = ranked(ordered["shortfall"], ctx.top_n, msg("common.other"))
    notes = (
        [ctx.text("note_unpriced")]
        + [
            f"– {name}: {count}"
            for name, count in zip(
                licence_names(ctx.model)[ordered["row"].to_numpy()].tolist(), count_texts(ordered["shortfall"], fmt)
            )
        ]
        + [msg("risk.note_how_to_price")]
    )
    result.findings.append(
        ctx.finding(
            "products",
            headline=ctx.text("headline_unpriced", **values),
            bullets=[ctx.text("bullet_all_unpriced", n=len(short), count=fmt.count(len(short)))],
            notes=notes,
            source=ctx.source_line("license_position"),
            key_point=ctx.text("key_point_unpriced", **values),
            chart=Chart("bar", tuple(labels), tuple(counts), ctx.text("series_short"), "count") if labels else None,
            priority=18,
        )
    )
    return result
