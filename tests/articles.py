"""Short articles in the styles the shared ones do not cover, written for these tests.

Each is a (text, expected) pair in the shape of ../shared/articles/*.json: the
references' raw text and DOIs, and claims with the references their markers name.
"""

APA_WITH_URLS = (
    """Why fibre matters

Dietary fibre feeds the gut microbiota, which ferments it into short-chain fatty acids (Smith & Jones, 2019).
Smith et al. (2020) reported that butyrate strengthens the intestinal barrier in mice.
Higher fibre intake is associated with lower all-cause mortality (Reynolds et al., 2019; Smith & Jones, 2019).
Have you eaten enough fibre today?

References

Reynolds, A., Mann, J., Cummings, J., Winter, N., Mete, E., & Te Morenga, L. (2019). Carbohydrate quality and human health: A series of systematic reviews and meta-analyses. The Lancet, 393(10170), 434–445. https://doi.org/10.1016/S0140-6736(18)31809-9

Smith, A. B., & Jones, C. D. (2019). Fibre fermentation in the human colon. Journal of Gut Science, 12(3), 45–67. https://www.example.org/articles/fibre-fermentation

Smith, A. B., Lee, K., & Patel, R. (2020). Butyrate and the intestinal barrier. Gut Microbes, 11(4), 700–712. https://doi.org/10.1080/19490976.2020.1234567
""",
    {
        "references": [
            ("Reynolds, A., Mann, J.", "10.1016/s0140-6736(18)31809-9"),
            ("Smith, A. B., & Jones, C. D. (2019)", None),
            (
                "Smith, A. B., Lee, K., & Patel, R. (2020)",
                "10.1080/19490976.2020.1234567",
            ),
        ],
        "claim_links": [
            ("Dietary fibre feeds the gut microbiota", [2]),
            ("Smith et al. (2020) reported", [3]),
            ("Higher fibre intake is associated", [1, 2]),
        ],
        "not_claims": ["Have you eaten enough fibre today?"],
    },
)

VANCOUVER_SUPERSCRIPTS = (
    """Omega-3 fatty acids and the heart

Fish oil supplements lower triglyceride levels in adults with hypertriglyceridaemia.1,2 The effect on cardiovascular events is less certain.3 Large trials found no reduction in major events in people without heart disease.3-5

Please share this article with your friends.

References
1. Harris WS, Mozaffarian D, Rimm E, Kris-Etherton P, Rudel LL, Appel LJ, et al. Omega-6 fatty acids and risk for cardiovascular disease. Circulation. 2009;119(6):902-7. doi:10.1161/CIRCULATIONAHA.108.191627
2. Skulas-Ray AC, Wilson PWF, Harris WS, Brinton EA, Kris-Etherton PM, Richter CK, et al. Omega-3 fatty acids for the management of hypertriglyceridemia. Circulation. 2019;140(12):e673-91.
3. Abdelhamid AS, Brown TJ, Brainard JS, Biswas P, Thorpe GC, Moore HJ, et al. Omega-3 fatty acids for the primary and secondary prevention of cardiovascular disease. Cochrane Database Syst Rev. 2020;3:CD003177. doi:10.1002/14651858.CD003177.pub5
4. Manson JE, Cook NR, Lee IM, Christen W, Bassuk SS, Mora S, et al. Marine n-3 fatty acids and prevention of cardiovascular disease and cancer. N Engl J Med. 2019;380(1):23-32.
5. Bowman L, Mafham M, Wallendszus K, Stevens W, Buck G, Barton J, et al. Effects of n-3 fatty acid supplements in diabetes mellitus. N Engl J Med. 2018;379(16):1540-50.
""",
    {
        "references": [
            ("Harris WS,", "10.1161/circulationaha.108.191627"),
            ("Skulas-Ray AC,", None),
            ("Abdelhamid AS,", "10.1002/14651858.cd003177.pub5"),
            ("Manson JE,", None),
            ("Bowman L,", None),
        ],
        "claim_links": [
            ("Fish oil supplements lower triglyceride levels", [1, 2]),
            ("The effect on cardiovascular events is less certain.", [3]),
            ("Large trials found no reduction", [3, 4, 5]),
        ],
        "not_claims": ["Please share this article with your friends."],
    },
)

GERMAN_AUTHOR_YEAR = (
    """Ballaststoffe und Darmgesundheit

Ballaststoffe fördern die Vielfalt der Darmflora (Müller & Schmidt, 2019). Eine ballaststoffreiche Ernährung senkt das Risiko für Typ-2-Diabetes deutlich (Becker u. a. 2020, S. 12). Weber (2018) fand keinen Zusammenhang mit dem Körpergewicht.

Literaturverzeichnis

Becker, T., Hoffmann, L., & Wagner, S. (2020). Ballaststoffe und Diabetesrisiko: Eine Metaanalyse. Ernährungs Umschau, 67(2), 10–18. https://doi.org/10.4455/eu.2020.004

Müller, H., & Schmidt, K. (2019). Ballaststoffe und die Darmflora. Zeitschrift für Ernährungsmedizin, 12(3), 45–67.

Weber, J. (2018). Körpergewicht und Ernährung. Springer.
""",
    {
        "references": [
            ("Becker, T.,", "10.4455/eu.2020.004"),
            ("Müller, H., & Schmidt, K.", None),
            ("Weber, J. (2018)", None),
        ],
        "claim_links": [
            ("Ballaststoffe fördern die Vielfalt", [2]),
            ("Eine ballaststoffreiche Ernährung", [1]),
            ("Weber (2018) fand", [3]),
        ],
        "not_claims": [],
    },
)

NATURE_NUMBERED = (
    """Gene drives in mosquitoes

CRISPR-based gene drives can spread a trait through a caged mosquito population within a few generations1. Resistance alleles arise quickly when the drive targets a variable site2,3.

1. Kyrou, K. et al. Nat. Biotechnol. 36, 1062–1066 (2018).
2. Hammond, A. M. et al. PLoS Genet. 13, e1007039 (2017).
3. Champer, J. et al. PLoS Genet. 13, e1006796 (2017).
""",
    {
        "references": [
            ("Kyrou, K. et al.", None),
            ("Hammond, A. M. et al.", None),
            ("Champer, J. et al.", None),
        ],
        "claim_links": [
            ("CRISPR-based gene drives can spread", [1]),
            ("Resistance alleles arise quickly", [2, 3]),
        ],
        "not_claims": [],
    },
)

PLAIN_URL_LIST = (
    """Is coffee good for you?

Moderate coffee drinking is linked to a lower risk of type 2 diabetes in large cohort studies. Coffee raises blood pressure briefly in people who rarely drink it.

Sources:
https://doi.org/10.1136/bmj.j5024
https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6062779/
https://onlinelibrary.wiley.com/doi/full/10.1002/sys.21414?af=R

Share this post
""",
    {
        "references": [
            ("https://doi.org/10.1136/bmj.j5024", "10.1136/bmj.j5024"),
            ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6062779/", None),
            (
                "https://onlinelibrary.wiley.com/doi/full/10.1002/sys.21414?af=R",
                "10.1002/sys.21414",
            ),
        ],
        "claim_links": [],
        "not_claims": ["Share this post"],
    },
)

HTML_ARTICLE = (
    """<!DOCTYPE html>
<html><head><title>Sleep and memory | Example Health</title>
<style>body { font-family: serif; }</style>
<script>var tracking = "Sleep improves everything.";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/blog">Blog</a></li></ul></nav>
<article>
<h1>Sleep and memory</h1>
<p class="byline">By A. Writer</p>
<p>Sleep after learning consolidates new memories<sup>1</sup>. Slow-wave sleep is thought to replay the day&rsquo;s experiences in the hippocampus<sup>2,3</sup>.</p>
<!-- a comment that is not part of the text -->
<p>Pulling an all-nighter impairs recall the next day<sup>1</sup>.</p>
<h2>References</h2>
<ol>
<li>Walker MP, Stickgold R. Sleep, memory, and plasticity. <i>Annu Rev Psychol</i>. 2006;57:139-66. <a href="https://doi.org/10.1146/annurev.psych.56.091103.070307">Link</a></li>
<li>Diekelmann S, Born J. The memory function of sleep. Nat Rev Neurosci. 2010;11(2):114-26. doi:10.1038/nrn2762</li>
<li>Rasch B, Born J. About sleep&#39;s role in memory. Physiol Rev. 2013;93(2):681-766.</li>
</ol>
</article>
<footer><p>Copyright 2024 Example Health. Subscribe to our newsletter.</p></footer>
</body></html>
""",
    {
        "references": [
            ("Walker MP, Stickgold R.", "10.1146/annurev.psych.56.091103.070307"),
            ("Diekelmann S, Born J.", "10.1038/nrn2762"),
            ("Rasch B, Born J.", None),
        ],
        "claim_links": [
            ("Sleep after learning consolidates new memories", [1]),
            ("Slow-wave sleep is thought to replay", [2, 3]),
            ("Pulling an all-nighter impairs recall", [1]),
        ],
        "not_claims": [
            "Sleep improves everything.",
            "Home",
            "Subscribe to our newsletter.",
        ],
    },
)

STYLES = {
    "apa-with-urls": APA_WITH_URLS,
    "vancouver-superscripts": VANCOUVER_SUPERSCRIPTS,
    "german-author-year": GERMAN_AUTHOR_YEAR,
    "nature-numbered": NATURE_NUMBERED,
    "plain-url-list": PLAIN_URL_LIST,
    "html": HTML_ARTICLE,
}
