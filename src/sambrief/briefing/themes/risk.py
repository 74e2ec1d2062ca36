"""Compliance exposure, stated calmly: what is short, what it would cost, what is covered."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import (
    ACHIEVED_SHARE,
    SHARED,
    ThemeContext,
    count_texts,
    first_rows,
    licence_codes,
    licence_names,
    money_texts,
    ranked,
)
from sambrief.ingest.products import display_product

KEY = "risk"  # the theme's name in audiences.yaml
DATASETS = ("license_position",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "exposure_total",
        "money",
        {"de": "Nachlizenzierungsbedarf", "en": "licence gap"},
        {
            "tile": {"de": "Nachlizenzierungsbedarf", "en": "licence gap"},
            "tile_rank": 1,
            "lower_is_better": True,
            "trend": True,
            "summary": {"de": "Risiko", "en": "exposure"},
            "definition": {
                "de": "Summe über unterlizenzierte Produkte: fehlende Lizenzen × Einzelpreis oder der "
                "True-up-Betrag des Exports",
                "en": "Sum over under-licensed products: licences short × unit price, or the export's true-up cost",
            },
        },
    ),
    ("licenses_short", "count", {"de": "fehlende Lizenzen", "en": "licences short"}, {"lower_is_better": True}),
    ("products_total", "count", {"de": "Produkte in der Lizenzbilanz", "en": "products in the licence position"}),
    (
        "products_short",
        "count",
        {"de": "unterlizenzierte Produkte", "en": "under-licensed products"},
        {"lower_is_better": True},
    ),
    (
        "products_covered",
        "count",
        {"de": "voll lizenzierte Produkte", "en": "fully licensed products"},
        {"lower_is_better": False},
    ),
    (
        "covered_share",
        "share",
        {"de": "Anteil voll lizenzierter Produkte", "en": "share of fully licensed products"},
        {
            "tile": {"de": "Produkte voll lizenziert", "en": "products fully licensed"},
            "tile_rank": 2,
            "lower_is_better": False,
        },
    ),
    (
        "products_price_unknown",
        "count",
        {"de": "unterlizenzierte Produkte ohne Preis", "en": "under-licensed products without a price"},
        {"lower_is_better": True},
    ),
    (
        "top_publishers_share",
        "share",
        {"de": "Anteil der größten Hersteller am Betrag", "en": "share of the largest publishers"},
    ),
    ("top_publishers", "count", {"de": "Zahl der größten Hersteller", "en": "number of largest publishers"}),
    (
        "exposure_change",
        "money",
        {
            "de": "Veränderung des Nachlizenzierungsbedarfs zum Vormonat",
            "en": "change in the licence gap since last month",
        },
    ),
    (
        "exposure_change_share",
        "share",
        {"de": "Veränderung des Nachlizenzierungsbedarfs in Prozent", "en": "change in the licence gap in per cent"},
    ),
    ("surplus_value", "money", {"de": "Wert der Überdeckungen", "en": "value of surplus licences"}),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    lp = ctx.model.frame("license_position")
    msg, fmt = ctx.msg, ctx.fmt
    if lp.empty:
        result.warnings.append(ctx.text("no_data"))
        return result

    # One line per publisher and product (exports can split a product over several licence
    # rows), grouped on the pair's integer codes in the order the pairs first occur; `row` is the
    # pair's first licence row (where licence_names names it), the index its publisher.
    publisher, product = licence_codes(ctx.model)
    rows = np.flatnonzero((publisher >= 0) & (product >= 0))
    pairs = publisher[rows] * (int(product.max()) + 1) + product[rows]
    groups = pd.factorize(pairs)[0]  # the pairs in the order they first occur
    count = int(groups.max()) + 1 if len(groups) else 0
    # Sums through pandas (its compensated float sums); the rest in numpy (a named aggregation
    # costs milliseconds per call, and this runs once per model).
    per_product = (
        pd.DataFrame({column: lp[column].to_numpy()[rows] for column in ("shortfall", "surplus", "exposure")})
        .groupby(groups, sort=True)
        .sum()
    )
    unpriced_rows = np.bincount(groups, weights=~lp["price_known"].to_numpy(dtype=bool)[rows], minlength=count)
    per_product["price_known"] = unpriced_rows == 0
    per_product["row"] = rows[first_rows(groups, count)]
    per_product.index = pd.Index(lp["publisher"].iloc[per_product["row"].to_numpy()].array, name="publisher")
    # A product none of whose rows states an exposure has an unknown one (NaN), not 0.
    stated = np.bincount(groups, weights=lp["exposure"].notna().to_numpy()[rows], minlength=count)
    per_product["exposure"] = per_product["exposure"].where(stated > 0)
    surplus_value = float((lp["surplus"] * lp["unit_price"]).fillna(0).sum())
    short = per_product[(per_product["shortfall"] > 0).to_numpy()]  # array masks: no alignment on the index
    total = len(per_product)
    covered = total - len(short)
    unpriced = short[(~short["price_known"] | short["exposure"].isna()).to_numpy()]
    exposure_total = float(short["exposure"].fillna(0).sum())
    licenses_short = float(short["shortfall"].sum())
    by_publisher = (
        short["exposure"].fillna(0).groupby(level="publisher", observed=True).sum().sort_values(ascending=False)
    )
    top_share = float(by_publisher.iloc[:2].sum() / exposure_total) if exposure_total > 0 else 0.0
    covered_share = covered / total if total else 0.0

    # A sum over unknown amounts only is unknown (no price column, or no short product priced):
    # absent, and the sentence says that the amount is unknown, never "0 €".
    amount_known = len(short) == 0 or len(unpriced) < len(short)
    surplus_priced = (lp["surplus"] > 0) & lp["unit_price"].notna()
    surplus_known = not (lp["surplus"] > 0).any() or bool(surplus_priced.any())
    result.figures = {
        "exposure_total": round(exposure_total, 2),
        "licenses_short": licenses_short,
        "products_total": total,
        "products_short": len(short),
        "products_covered": covered,
        "products_price_unknown": len(unpriced),
        "covered_share": round(covered_share, 4),
        "top_publishers_share": round(top_share, 4),
        "top_publishers": min(2, len(by_publisher)),
        "surplus_value": round(surplus_value, 2),
    }
    unknown = (() if amount_known else ("exposure_total", "top_publishers_share", "top_publishers")) + (
        () if surplus_known else ("surplus_value",)
    )
    result.figures = {k: v for k, v in result.figures.items() if k not in unknown}
    values = dict(
        exposure=fmt.money_short(exposure_total),
        short=fmt.count(len(short)),
        total=fmt.count(total),
        covered=fmt.count(covered),
        covered_share=fmt.percent(covered_share),
        licenses=fmt.count(licenses_short),
        n=len(short),  # plural forms follow the number of short products
    )
    all_values = dict(values, n=total)
    covered_values = dict(values, n=covered)  # the verb agrees with the covered count
    before = ctx.previous(ctx.figure_key("exposure_total"))
    if len(short) == 0:
        headline = ctx.text("headline_covered", **all_values)
        key_point = ctx.text("key_point_covered", **all_values)
        bullets = [ctx.text("bullet_covered", **covered_values)]
    elif not amount_known:
        headline = ctx.text("headline_unpriced", **values)
        key_point = ctx.text("key_point_unpriced", **values)
        bullets = [
            ctx.text("bullet_covered", **covered_values),
            ctx.text("bullet_licenses", **dict(values, n=licenses_short)),
        ]
    else:
        headline = ctx.text("headline", **values)
        key_point = ctx.text("key_point", **values)
        if before and round(before) != round(exposure_total):
            # Timeliness: say what changed since last month, calmly, with both numbers.
            direction = "down" if exposure_total < before else "up"
            result.figures["exposure_change"] = round(exposure_total - before, 2)
            result.figures["exposure_change_share"] = round(abs(exposure_total - before) / before, 4)
            change = dict(
                values,
                delta=fmt.money_short(abs(exposure_total - before), 2),
                share=fmt.percent(abs(exposure_total - before) / before),
                since=ctx.since,
            )
            headline = ctx.text(f"headline_{direction}", **change)
            key_point = ctx.text(f"key_point_{direction}", **change)
        bullets = [ctx.text("bullet_covered", **covered_values)]
        top = list(by_publisher.index[:2])
        if exposure_total > 0 and len(top) == 2:
            bullets.append(
                ctx.text(
                    "bullet_top2",
                    first=display_product(str(top[0])),
                    second=display_product(str(top[1])),
                    share=fmt.percent(top_share),
                )
            )
        elif exposure_total > 0:
            bullets.append(ctx.text("bullet_top1", first=display_product(str(top[0])), share=fmt.percent(top_share)))
        if len(unpriced):
            bullets.append(ctx.text("bullet_unpriced", n=len(unpriced)))
        else:
            bullets.append(ctx.text("bullet_licenses", **dict(values, n=licenses_short)))

    notes = [ctx.text("note_definition"), ctx.text("note_method")]
    if len(unpriced):  # how to supply the missing prices: for the speaker, never on the slide
        notes.append(ctx.text("note_how_to_price"))
    if len(short):
        notes.append(ctx.text("note_list_title"))
        ordered = short.sort_values("exposure", ascending=False, na_position="last")
        unpriced_text = ctx.text("unpriced")
        names = licence_names(ctx.model)[ordered["row"].to_numpy()].tolist()
        notes.extend(
            f"– {name}: {count} · {unpriced_text if cost is None else cost}"
            for name, count, cost in zip(
                names, count_texts(ordered["shortfall"], fmt), money_texts(ordered["exposure"], fmt)
            )
        )
    labels, chart_values = ranked(by_publisher, ctx.top_n, msg("common.other"))
    chart = Chart("bar", tuple(labels), tuple(chart_values), ctx.text("series"), "money") if labels else None
    result.findings.append(
        ctx.finding(
            "exposure",
            headline,
            bullets[:3],
            notes,
            ctx.source_line("license_position"),
            key_point,
            chart=chart,
            priority=10,
        )
    )
    # Achieved by the README's rule: coverage counts only when at least ACHIEVED_SHARE of products are covered.
    if covered_share >= ACHIEVED_SHARE:
        result.achieved.append(ctx.text("achieved", **values))
    if len(short):
        result.remaining.append(ctx.text("remaining" if amount_known else "remaining_unpriced", **values))
    return result
