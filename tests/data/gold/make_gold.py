"""Build the hand-annotated gold statement files (``tests/data/gold/<stem>.jsonl``).

Annotations follow the statement guidelines of stancekit issue 2: ``text`` is the
content only (no cue, no "that", no "according to X" tail, no final period),
``article[start:end] == text`` on every line.  Each annotation below is written
by hand as a text snippet plus speaker, kind, cue and outlet; this script only
finds the snippet in the article (it must be unique, or be located with
``after=``, a string that occurs once before it), computes the offsets, derives
the group from ``tests/data/registry_test.yaml`` and writes the JSONL files
deterministically.  Run from anywhere::

    python tests/data/gold/make_gold.py          # rewrite all gold files
    python tests/data/gold/make_gold.py --check  # fail if a file would change
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
REPO = DATA.parent.parent
REGISTRY = DATA / "registry_test.yaml"

#: Where each annotated article lives; every other stem is in tests/data/articles/.
ARTICLE_PATHS = {
    "global-times-2026-01-30-us-canada-sovereignty": REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt",
}


def S(text, speaker, kind, cue, via=None, *, after=None, join=False, group=None):
    """One annotation.

    ``speaker`` is a canonical name or a list of names (a group reference: one row
    per member, ids suffixed with the member).  ``join=True`` marks the second
    part of a quote split by its attribution: it shares the previous entry's
    statement_id.  ``group`` overrides the registry group (for unregistered
    collective speakers).
    """
    return dict(text=text, speaker=speaker, kind=kind, cue=cue, via=via, after=after, join=join, group=group)


GOLD: dict[str, list[dict]] = {}

# --------------------------------------------------------------------------
# Seed: Global Times, 30 January 2026
# --------------------------------------------------------------------------
GOLD["global-times-2026-01-30-us-canada-sovereignty"] = [
    S('he expects the US to "respect Canadian sovereignty" after media reported that US officials had met with a group advocating the separation of the province of Alberta from Canada several times',
      "Mark Carney", "mixed", "said"),
    # "US president" without a name, resolved to Trump; a threat is a speech act.
    S('to turn Canada into its "51st state,"', "Donald Trump", "mixed", "threatened"),
    S("I expect the US administration to respect Canadian sovereignty,", "Mark Carney", "direct", "said"),
    S("I'm always clear in my conversations with President Trump to that effect, and then move on to what we can do together,",
      "Mark Carney", "direct", "reported", "CNN"),
    S("Compared to Prime Minister Carney's restrained and concise diplomatic language, some provincial leaders in Canada expressed their outrage far more bluntly and directly",
      "Global Times", "indirect", "noticed"),
    S("the US should stay out of Alberta and Canadian politics", "Danielle Smith", "indirect", "told", "CBC"),
    S("she would ask her government's delegate in Washington to raise her concerns with the Trump administration",
      "Danielle Smith", "indirect", "saying", "CBC"),
    S("To go to a foreign country and to ask for assistance in breaking up Canada, there's an old-fashioned word for that, and that word is treason,",
      "David Eby", "direct", "told"),
    S('Eby\'s voice "wavered with emotion" as he expressed his anger with the separatists who went to Washington',
      "CNN", "mixed", "added"),
    S('the meetings between the separatist group and US officials were "unacceptable" and "unethical,"',
      "Doug Ford", "mixed", "told", "Toronto Today"),
    S("leaders of APP had met with US State Department officials in Washington three times since April last year",
      "Financial Times", "indirect", "said"),
    S('the APP as "a group of far-right separatists who want the western province to become independent."',
      "Financial Times", "mixed", "described"),
    S("Such referendum is yet to be called", "Financial Times", "indirect", "according to"),
    S('US government officials met with "a number of civil society groups,"', "White House official", "mixed", "told", "CNN"),
    S('"no support or commitments were conveyed."', "White House official", "mixed", "told", "CNN"),
    S('US Treasury Secretary Scott Bessent "caused a flurry of excitement" among Alberta separatists last week when he described the province — the single biggest source of foreign oil in the American market — as "a natural partner for the US."',
      "Financial Times", "mixed", "reported"),
    # Bessent's own words, nested in the FT's report.
    S('the province — the single biggest source of foreign oil in the American market — as "a natural partner for the US."',
      "Scott Bessent", "mixed", "described", "Financial Times"),
    S('Albertans as "very independent people"', "Scott Bessent", "mixed", "described", "Financial Times"),
    S("the US diplomatic meddling in Canada's domestic separatist issues has far exceeded the boundaries of normal state-to-state interaction",
      "Li Haidong", "indirect", "told", "Global Times"),
    S("It starkly reveals America's habitual disregard for other nations' sovereignty and territorial integrity, its contempt for international law, and its signature pattern of hegemonic bullying",
      "Li Haidong", "continuation", None),
    S('From Venezuela to Greenland and now Canada, the US is likely reviving a territorial expansion agenda aimed at turning the Western Hemisphere into "America\'s Americas,"',
      "Li Haidong", "mixed", "said"),
    S("Alberta has oil sands that account for about 84 percent of Canada's total crude oil production", "CNN", "indirect", "mentioned"),
    S("And politically, it is considered the bastion of conservatism in Canada", "CNN", "continuation", None),
    S("the federal government's efforts to stop climate change are holding back Alberta's oil industry, and their conservative values are drowned out by the more liberal and populous eastern provinces",
      "Separatist Albertans", "indirect", "argue", "CNN", group="unregistered", after="The CNN mentioned"),
    S("the federal government's efforts to stop climate change are holding back Alberta's oil industry, and their conservative values are drowned out by the more liberal and populous eastern provinces",
      "Separatist Albertans", "indirect", "argue", "CNN", group="unregistered", after="According to the CNN"),
    S("The return of Trump, a pro-oil conservative, to the White House has buoyed the secession movement and, for some, reshaped its end goal,",
      "CNN", "direct", "said"),
    # "according to the expert" covers both sentences of this paragraph ("likewise").
    S("At present, the paramount external threat to Canada's territorial integrity originates from the US",
      "Li Haidong", "indirect", "according to"),
    S("The most binding external limitation on its economic growth likewise stems from the US", "Li Haidong", "indirect", "according to"),
    S("The downward spiral is likely to persist… US-Canada ties are unlikely to return to what they once were,", "Li Haidong", "direct", "said"),
    S("Canada with a 50 percent tariff on any aircraft sold in the US", "Donald Trump", "indirect", "threatened", "Associated Press"),
    S("the US would decertify all Canadian aircraft, including planes from its largest aircraft manufacturer, Bombardier, in retaliation for Canada's refusal to certify jets from Savannah, Georgia-based Gulfstream Aerospace",
      "Donald Trump", "indirect", "claimed"),
    S("certification is about safety and it would be unprecedented to decertify for trade reasons", "John Gradek", "indirect", "said"),
    S("This is really a smokescreen that's basically throwing up another red flag in the face of Mr. Carney,", "John Gradek", "direct", "said"),
    S("This is taking it to the extreme. This is a new salvo in the trade war.", "John Gradek", "direct", "said"),
    S("The current scale of Canada's aircraft manufacturing industry is relatively limited, which means the US tariff threats against Canadian aircraft are not genuinely aimed at addressing trade fairness issues: they are primarily a form of political pressure designed to deter Canada from deepening economic and trade cooperation with China",
      "Gao Lingyun", "indirect", "said"),
    S("the China-Canada cooperation framework contains no exclusive clauses that restrict US participation, and expanded cooperation between Canada and China helps enlarge the overall market size, which means American companies could also benefit indirectly through global supply chain linkages and market spillover effects",
      "Gao Lingyun", "indirect", "noted"),
    S("This zero-sum mindset, attempting to reshape trade relations by forcing allies to take sides, reflects the deep anxiety and unease in the US over its allies' pursuit of diversified trade partnerships",
      "Gao Lingyun", "indirect", "said"),
    S('the Canada-China relationship is "at its best" and "has created massive opportunities for both our peoples."',
      "Mark Carney", "mixed", "said"),
    S("US Treasury Secretary Scott Bessent's claim that he had walked back the comments he made in Davos at the World Economic Forum",
      "Mark Carney", "indirect", "denied"),
    # Bessent's claim, reported inside Carney's denial.
    S("he had walked back the comments he made in Davos at the World Economic Forum", "Scott Bessent", "indirect", "claim"),
    S("The world has changed, Washington has changed. There is almost nothing normal now in the US,", "Mark Carney", "direct", "told", "BBC"),
    S("US actions are steadily eroding the foundation of trust between the US and its allies, forcing countries to reassess their strategic autonomy and external economic and trade options",
      ["Li Haidong", "Gao Lingyun"], "indirect", "believed"),
    S('Given Canada\'s unique position as both a geographic neighbor and a historic "special relationship" ally of the US, Ottawa\'s response to Washington will serve as a highly influential model for how countries around the world approach and adjust their dealings with the US',
      "Li Haidong", "mixed", "said"),
]


# --------------------------------------------------------------------------
# Test articles (tests/data/articles/), written for stancekit; events invented.
# --------------------------------------------------------------------------
# Wire style, curly quotes (straight in the last paragraph); quote split by its
# cue; pronouns with competing he/she; "the minister"; anonymous official;
# organisation as speaker; continuation.
GOLD["wire-2026-02-03-canola-tariff-talks"] = [
    S("We made progress on the technical files, but we are not there yet,", "Heather Lindqvist", "direct", "told"),
    # A second quoted sentence after the attribution belongs to the same speaker.
    S("Canadian farmers need certainty before the spring planting season, and I intend to get it for them.",
      "Heather Lindqvist", "direct", "told"),
    S("Washington would not lift the duties until Ottawa opened its dairy market", "Michael Dunleavy", "indirect", "said"),
    S("“patience in Washington is running out.”", "Michael Dunleavy", "mixed", "adding"),
    S("Nobody should mistake our flexibility for weakness,", "Michael Dunleavy", "direct", "said"),
    S("and nobody should expect us to wait forever.", "Michael Dunleavy", "direct", "said", join=True),
    S("Canada had already offered “significant concessions” on dairy quotas in January", "Heather Lindqvist", "mixed", "said"),
    S("the US side of moving the goalposts", "Heather Lindqvist", "indirect", "accused"),
    S("Her officials had tabled three proposals since December", "Heather Lindqvist", "indirect", "noted"),
    S("Canada “will defend its farmers with every tool it has,”", "Heather Lindqvist", "mixed", "warned"),
    S("the administration was “cautiously optimistic” about a framework deal by the end of March",
      "senior State Department official", "mixed", "said"),
    S("the Canadian offer as “a serious starting point, but only a starting point.”",
      "senior State Department official", "mixed", "described"),
    S("the tariffs had already cost growers more than C$1.1 billion in lost sales", "Canola Council of Canada", "indirect", "said in a statement"),
    S("Every week without a deal pushes buyers toward Australian and Ukrainian suppliers,", "Canola Council of Canada", "direct", "said"),
    S("Those customers may never come back.", "Canola Council of Canada", "direct", "said"),
    S('he believed a deal was "possible but not probable" before April', "Michael Dunleavy", "mixed", "told", "The Canadian Press"),
    S("Congress would have to be consulted on any dairy provisions", "Michael Dunleavy", "indirect", "noted"),
    S("That process alone could take months", "Michael Dunleavy", "continuation", None),
]

# Canadian regional paper: two named speakers in one subject, "the two premiers",
# "both premiers", "the premier", multi-paragraph quote, heading glued to the
# next sentence ("Federal responseEnergy ...").
GOLD["prairie-ledger-2026-02-05-premiers-energy-corridor"] = [
    S("Ottawa must fast-track a national energy corridor or risk losing investment to the United States",
      ["Colleen Archambault", "Rajiv Sandhu"], "indirect", "said"),
    S('the federal review process had become "a graveyard for good projects"',
      ["Colleen Archambault", "Rajiv Sandhu"], "mixed", "argued"),
    S("Prime Minister Mark Carney to set a 24-month limit on approvals",
      ["Colleen Archambault", "Rajiv Sandhu"], "indirect", "called on"),
    S("the province had lost three pipeline proposals in as many years", "Colleen Archambault", "indirect", "said"),
    S("We keep being told to wait. Our workers can't wait, our municipalities can't wait, and frankly our neighbours to the south are not waiting either,",
      "Colleen Archambault", "direct", "said"),
    # One pair of marks across two paragraphs (the second opens with a new mark).
    S('When a company in Houston compares a project in Saskatchewan with one in North Dakota, it sees a permit that takes seven years here and eighteen months there.\n\n"That is not a level playing field. That is an invitation to leave.',
      "Colleen Archambault", "direct", "said"),
    S("he supported strong environmental rules", "Rajiv Sandhu", "indirect", "told"),
    S("duplicate federal and provincial assessments added cost without adding protection", "Rajiv Sandhu", "indirect", "told"),
    S("Projects could be reviewed once, by one agency", "Rajiv Sandhu", "indirect", "said"),
    S("the corridor would lock in fossil fuel use for decades", "Rajiv Sandhu", "indirect", "denied"),
    S("the corridor would carry electricity and hydrogen as well as oil and gas", "Rajiv Sandhu", "indirect", "according to"),
    S("Ottawa shared the premiers' goal of faster approvals", "Nadia Ferreira", "indirect", "said in a statement"),
    S('a bill to consolidate reviews would be tabled "this spring."', "Nadia Ferreira", "mixed", "added"),
    S("a hard deadline would force regulators to approve projects they had not finished studying", "Paul Tremblay", "indirect", "warned"),
    S("A clock is not a safeguard,", "Paul Tremblay", "direct", "said"),
    S("they would raise the issue at the next Council of the Federation meeting in July",
      ["Colleen Archambault", "Rajiv Sandhu"], "indirect", "said"),
]

# Chinese state-media style: inverted attribution ("..., said Wang Wei, a
# researcher at ..."), "a spokesperson for the Ministry of Commerce", "the
# expert", "Both experts", "per", non-breaking spaces (one inside a name).
GOLD["eastern-dispatch-2026-02-08-china-canada-trade-forum"] = [
    S("the two sides had agreed to resume a working group on agricultural market access that had been suspended since 2019",
      "spokesperson for the Ministry of Commerce", "indirect", "said"),
    S('The ministry welcomed "a more pragmatic and rational" Canadian policy toward China',
      "spokesperson for the Ministry of Commerce", "mixed", "said"),
    S("China-Canada cooperation is complementary in nature and does not target any third party", "Wang Wei", "indirect", "said"),
    S("Attempts by Washington to force Ottawa to choose sides will only hurt Canadian businesses and consumers", "Wang Wei", "indirect", "said"),
    S("Canada's outreach reflected a broader trend among US allies", "Zhou Min", "indirect", "told", "Xinhua"),
    S("middle powers are seeking to diversify their trade partners after repeated tariff shocks", "Zhou Min", "indirect", "believes"),
    S("No country wants to put all its eggs in one basket, least of all a basket that keeps being shaken,", "Zhou Min", "direct", "said"),
    S("Chinese investment in Canadian electric-vehicle battery plants could create thousands of jobs in Ontario and Quebec",
      "Wang Wei", "indirect", "noted"),
    S("Such projects would also help Canada meet its climate targets", "Wang Wei", "indirect", "added"),
    S("the forum sent a positive signal", ["Wang Wei", "Zhou Min"], "indirect", "said"),
    S("political obstacles remained", ["Wang Wei", "Zhou Min"], "indirect", "cautioned"),
    S("domestic pressure in Canada could slow implementation", "Zhou Min", "indirect", "warned"),
    S("Public opinion there is still shaped by years of negative coverage", "Zhou Min", "indirect", "said"),
    S('Ottawa wanted "stable, predictable and rules-based" trade with Beijing', "Jennifer Laurier", "mixed", "said"),
    S('Canada would continue to raise its concerns on human rights and security "frankly and directly,"',
      "Jennifer Laurier", "mixed", "added"),
    S("more than 80 Canadian firms attended the forum, the largest delegation since 2017", "Canada China Business Council", "indirect", "per"),
]

# US paper: "the secretary", "the US president", anonymous official with an
# outlet tail ("Axios reported"), indirect speech split by its cue, an
# unbalanced quote mark, nested single quotes, "per".
GOLD["capitol-report-2026-02-10-arctic-defence-spat"] = [
    S("the United States was seeking to annex any part of Canada", "Laura Whitfield", "indirect", "denied"),
    S("Canada is a sovereign nation, a NATO ally and our largest trading partner. None of that is in question,",
      "Laura Whitfield", "direct", "told"),
    S("What is in question is whether our friends are willing to pay their fair share for the defense of the Arctic.",
      "Laura Whitfield", "direct", "told"),
    S("the administration expected Ottawa to double its spending on northern radar and icebreakers by 2030",
      "Laura Whitfield", "indirect", "said"),
    S('Canadian underinvestment had left "a hole in the fence" that Russia and China were exploiting',
      "Laura Whitfield", "mixed", "claimed"),
    S('Canada "gets protection for free"', "Donald Trump", "mixed", "claimed"),
    S('"it would be a lot cheaper for them to just join us."', "Donald Trump", "mixed", "said"),
    S('the president\'s comments reflected "frustration, not policy."', "senior administration official", "mixed", "said"),
    S("no one in the cabinet was working on annexation plans", "senior administration official", "indirect", "added", "Axios"),
    S("Canada had committed C$38 billion to continental defence modernization", "Amrit Gill", "indirect", "said"),
    S("the first new radar stations would come online next year", "Amrit Gill", "indirect", "said", join=True),
    # The quote never closes: the statement ends where the attribution begins.
    S("We don't need lectures on the Arctic from anyone", "Amrit Gill", "direct", "said"),
    S("the exchange showed how quickly the alliance's language had coarsened", "Rebecca Hart", "indirect", "said"),
    S("Ten years ago you would never have heard a US cabinet member talk about a 'hole in the fence' in Canada's defenses,",
      "Rebecca Hart", "direct", "said"),
    S("Now it's routine.", "Rebecca Hart", "direct", "said"),
    S("both governments had domestic reasons to keep the dispute alive", "Rebecca Hart", "indirect", "argued"),
    S("Arctic cooperation could suffer as a result", "Rebecca Hart", "indirect", "warned"),
    S("joint exercises planned for March had already been scaled back", "Rebecca Hart", "indirect", "per"),
]

# Canadian national paper, curly quotes and apostrophes: attribution before the
# quote with a colon, outlets as speakers (Bloomberg, Reuters), "believes",
# "called Y Z", continuation, "the minister".
GOLD["maple-courier-2026-02-12-aircraft-certification"] = [
    S("Canada would not “bend its safety rules to fit anyone’s trade agenda,”", "Sophie Larocque", "mixed", "said"),
    S("Transport Canada’s review of the Gulfstream G800 was proceeding normally and would be completed “within weeks, not months.”",
      "Sophie Larocque", "mixed", "told"),
    S("the timing had nothing to do with the trade dispute", "Sophie Larocque", "indirect", "insisted"),
    S("she had spoken twice with her American counterpart, Transportation Secretary Greg Holloway, since the threat was made",
      "Sophie Larocque", "indirect", "said"),
    S("the standoff as the most serious aviation dispute between the two countries since the 1990s", "Bloomberg", "indirect", "described"),
    S("Canadian aerospace employs about 200,000 people", "Bloomberg", "indirect", "noting"),
    S("If the FAA pulls the validation of Canadian type certificates, every Bombardier jet sitting on a ramp in the US is grounded the next morning. That’s not a tariff, that’s an embargo.",
      "Tom Reilly", "direct", "said"),
    S("the threat is unlikely to be carried out", "Tom Reilly", "indirect", "believes"),
    S("The US airlines and charter operators that fly Canadian-built aircraft would be among the first to complain",
      "Tom Reilly", "indirect", "said"),
    S("Grounding their fleets would hurt American jobs as much as Canadian ones", "Tom Reilly", "continuation", None),
    S("the threat “economic blackmail”", "Aerospace Workers’ Alliance", "mixed", "called"),
    S("Bombardier has begun contingency planning that includes moving some final assembly work to its plant in Wichita, Kansas",
      "Reuters", "indirect", "according to"),
    S("the company was “confident in the strength of the Canadian certification system.”", "Luc Gagnon", "mixed", "told"),
    S("Our inspectors are among the best in the world,", "Sophie Larocque", "direct", "said"),
    S("They will do their job, and nobody in Washington is going to rush them.", "Sophie Larocque", "direct", "said"),
]

# Chinese English-language daily: anonymous collective ("industry insiders told
# China Daily"), "a spokesperson for the ministry", outlet as speaker (the CBC
# under its full name), multi-paragraph quote, "the expert", continuation, "per".
GOLD["harbour-review-2026-02-14-arctic-shipping"] = [
    S("Chinese shipping companies are preparing for a record season on Arctic routes this summer, as warming seas and rising freight costs in the Red Sea make the northern passage more attractive",
      "industry insiders", "indirect", "told", "China Daily"),
    S("all vessels would be required to meet the Polar Code and carry ice-class certification",
      "spokesperson for the ministry", "indirect", "said"),
    S("The ministry would also strengthen search-and-rescue cooperation with coastal states",
      "spokesperson for the ministry", "indirect", "added"),
    S('the Arctic was becoming "a normal commercial option rather than an adventure."', "Liu Fang", "mixed", "said"),
    S("A voyage from Shanghai to Rotterdam via the Arctic takes roughly 10 days less than the Suez route", "Liu Fang", "indirect", "explained"),
    S("For some cargo that difference decides whether a contract is profitable", "Liu Fang", "continuation", None),
    S("Canadian officials have raised concerns about Chinese research vessels operating near the Northwest Passage",
      "CBC", "indirect", "according to"),
    S('those concerns as "Cold War thinking."', "Ma Jun", "mixed", "dismissed"),
    S("China's activities in the Arctic are transparent, scientific and commercial,", "Ma Jun", "direct", "said"),
    S('We respect the sovereignty of Arctic states and the rights of Indigenous peoples there.\n\n"What we do not accept is the idea that the Arctic belongs only to a small club.',
      "Ma Jun", "direct", "said"),
    S("Canada would benefit from Chinese investment in northern ports, which have struggled to attract capital", "Ma Jun", "indirect", "argued"),
    S("the number of Chinese ships with ice-class certification has tripled since 2020", "China Classification Society", "indirect", "per"),
]

# Wire, straight quotes: inverted direct quote ("..., said Ana Costa, the firm's
# chief pollster"), registered alias "Premier Smith", "the premier", "urged",
# "insisted", "accused", indirect speech split by its cue, outlet as speaker.
GOLD["wire-2026-02-16-alberta-referendum-poll"] = [
    S("Albertans don't like being told what to do by Ottawa, but it turns out they like it even less from Washington,",
      "Ana Costa", "direct", "said"),
    S("The shift was sharpest among voters under 35", "Ana Costa", "indirect", "added"),
    S("Albertans not to read too much into a single poll", "Danielle Smith", "indirect", "urged"),
    S('her government\'s priority was "a fair deal inside Canada, not a ticket out of it."', "Danielle Smith", "mixed", "insisted"),
    S("she had raised the matter directly with the US consul general in Calgary", "Danielle Smith", "indirect", "said"),
    S("I told him plainly: Alberta's future will be decided by Albertans. Full stop,", "Danielle Smith", "direct", "said"),
    S("the media of exaggerating the group's contacts with Washington", "Carl Wyndham", "indirect", "accused"),
    S('The meetings were "routine conversations with public servants,"', "Carl Wyndham", "mixed", "claimed"),
    S("no money had been requested", "Carl Wyndham", "indirect", "claimed", join=True),
    S("the group had sought a $500 billion credit facility", "Financial Times", "indirect", "said"),
    S('the poll as "a reality check for the separatists."', "Owen Pritchard", "mixed", "described"),
    S("The movement has always been strongest when it can present itself as a protest against Ottawa", "Owen Pritchard", "indirect", "argued"),
    S("Foreign involvement undercuts that story", "Owen Pritchard", "indirect", "said"),
    S("sentiment could shift again quickly", "Ana Costa", "indirect", "cautioned"),
    S("A pipeline decision, an equalization fight, a tariff — any of those could move the numbers by five points in a week,",
      "Ana Costa", "direct", "said"),
]

# US broadcaster: "In an interview with CNN" (via), anonymous department
# spokesperson "told NBC News", multi-paragraph quote from a statement,
# "accused ... of", "according to X" at the end, anonymous collective.
GOLD["national-broadcast-2026-02-18-tariff-exemptions"] = [
    S("the administration was prepared to grant temporary tariff exemptions to Canadian aluminum and potash",
      "Scott Bessent", "indirect", "said"),
    S('the exemptions would be "targeted, time-limited and conditional" on progress in wider trade talks with Ottawa',
      "Scott Bessent", "mixed", "said", "CNN"),
    S("We are not in the business of punishing American farmers to make a point,", "Scott Bessent", "direct", "said", "CNN"),
    S("If a Canadian input keeps a plant in Ohio running, we should look at that seriously.", "Scott Bessent", "direct", "said", "CNN"),
    S('a formal notice would be published in the Federal Register "in the coming days."',
      "Commerce Department spokesperson", "mixed", "told", "NBC News"),
    S("the potash tariff had raised fertilizer prices by as much as 30 percent in her state", "Karen Lindgren", "indirect", "said"),
    S("I have farmers who are deciding right now whether to plant at all,", "Karen Lindgren", "direct", "said in a statement"),
    S('Every week of delay costs them money they do not have.\n\n"This exemption should have come months ago, and it should be permanent.',
      "Karen Lindgren", "direct", "said in a statement"),
    S('the administration of "making up trade policy on the fly"', "Daniel Ocampo", "mixed", "accused"),
    S("businesses could not plan around announcements that changed from week to week", "Daniel Ocampo", "indirect", "said"),
    S("The exemptions would have a limited effect on inflation", "Priya Natarajan", "indirect", "according to"),
    S("the aluminum exemption alone would lower the price of a new car by about $300", "Priya Natarajan", "indirect", "estimated"),
    S("That is real money, but it is not a game-changer", "Priya Natarajan", "indirect", "said"),
    S('Ottawa would "study the details carefully" before responding', "Kirsten Hillier", "mixed", "told"),
    S("all US tariffs on Canadian goods violate the countries' free trade agreement", "Canadian officials", "indirect", "argued"),
]

# --------------------------------------------------------------------------
# Held-out set (written and annotated by hand before any extractor run).
# --------------------------------------------------------------------------
# Wire, straight quotes: lead indirect speech without "that" and a trailing
# narrative clause; quote split by its cue; a letter as the speaker's document;
# "what he called" inside a mixed clause; "stopped short of saying" (not a
# statement); "according to Statistics Canada" followed by narration (not a
# continuation); "rejected suggestions that" (a denial); "the minister";
# anonymous official with a long postmodifier; a continuation.
GOLD["northwire-2026-02-20-steel-transshipment-surtax"] = [
    S("Canada will impose a 25 percent surtax on Chinese steel that has been routed through third countries to avoid existing duties",
      "Dominic Leclair", "indirect", "said"),
    S("The measure, which takes effect on March 15, targets products suspected of originating in China but declared as Vietnamese, Thai or Malaysian",
      "Dominic Leclair", "indirect", "told"),
    S("We are not doing this because anyone in Washington told us to,", "Dominic Leclair", "direct", "said"),
    S("We are doing it because Canadian steelworkers have been undercut by dumped product for years, and that ends now.",
      "Dominic Leclair", "direct", "said", join=True),
    S('Canada risked becoming "a back door for Chinese overcapacity" into the U.S. market', "Gordon Pryce", "mixed", "warned"),
    # "The letter said": the letter is Pryce's.
    S("the United States would review Canada's exemption from Section 232 steel duties if Ottawa did not act by the end of the month",
      "Gordon Pryce", "indirect", "said"),
    # "...but stopped short of saying X": X was not said, so it is not a statement.
    S('he welcomed "any step that closes the loophole,"', "Gordon Pryce", "mixed", "said", "CNBC"),
    S("We'll look at the numbers,", "Gordon Pryce", "direct", "said"),
    S("If the volumes come down, great. If they don't, we have other tools.", "Gordon Pryce", "direct", "said"),
    S('Beijing firmly opposed what he called "unilateral and discriminatory" trade measures and would take "necessary steps" to protect the legitimate rights of Chinese companies',
      "Tang Wenjie", "mixed", "said"),
    S("Canada should not sacrifice its own interests to serve the strategic agenda of a third country", "Tang Wenjie", "indirect", "told"),
    S('China-Canada trade had grown steadily and both sides should "cherish the hard-won momentum."', "Tang Wenjie", "mixed", "adding"),
    # The next sentence ("Over the same period, ...") is narration of data, not a continuation.
    S("Steel imports from China into Canada fell 18 percent last year", "Statistics Canada", "indirect", "according to"),
    S('the surtax was "overdue"', "Canadian Steel Producers' Council", "mixed", "said in a statement"),
    S("Ottawa to apply it to all steel products rather than a limited list", "Canadian Steel Producers' Council", "indirect", "urged"),
    S("member companies had laid off about 1,400 workers since 2024", "Ray Barrington", "indirect", "said"),
    S("Every tonne of transshipped steel that lands in Hamilton is a tonne that wasn't rolled by a Canadian worker,",
      "Ray Barrington", "direct", "said"),
    S("the rules of origin in the new regime were vague and could be challenged at the World Trade Organization",
      "Marisa Oyelaran", "indirect", "said"),
    S("The government has written a measure that is easy to announce and hard to enforce,", "Marisa Oyelaran", "direct", "said"),
    S("Customs officers will be asked to decide where a coil of steel was really made, and they don't have the lab capacity to do that at scale.",
      "Marisa Oyelaran", "direct", "said"),
    S("Chinese producers were likely to shift to products not covered by the list", "Marisa Oyelaran", "indirect", "added"),
    S("That kind of substitution has followed every steel safeguard since 2002", "Marisa Oyelaran", "continuation", None),
    # "rejected suggestions that X": a denial of X, like "denied that X".
    S("the measure was designed to placate Washington", "Dominic Leclair", "indirect", "rejected"),
    S('officials from both countries "talk every day" about steel, but the decision was Canada\'s alone',
      "Dominic Leclair", "mixed", "said"),
    S("the administration had expected a broader measure and would press Ottawa to add aluminum to the list",
      "U.S. official", "indirect", "said"),
]

# Chinese state-media style: lead "Chinese experts ... saying" (a group
# reference to the two scholars quoted below), outlet relaying US officials'
# warning ("CTV News reported"), inverted "..., Qian Zhiyuan, a professor at
# ..., told the China Herald", "In her view" + continuation, parenthetical cue
# inside indirect speech, "Both scholars", the outlet speaking for itself
# ("noticed"), foreign ministry spokesperson + "the spokesperson", "saying
# that" + fully quoted clause, "described Y as Z", colon before a quote.
GOLD["china-herald-2026-02-22-us-pressure-canada-ev"] = [
    S("the move exposes US anxiety over its declining competitiveness and will ultimately hurt American consumers and automakers",
      ["Qian Zhiyuan", "Sun Yiran"], "indirect", "saying"),
    S("Canadian-assembled vehicles using Chinese-made batteries could lose duty-free access to the US market when the United States-Mexico-Canada Agreement (USMCA) comes up for review in July",
      "US officials", "indirect", "warned", "CTV News", group="US administration"),
    S("The US is using the USMCA review as a bargaining chip to force Canada to pick sides", "Qian Zhiyuan", "indirect", "told", "China Herald"),
    S("This is a typical case of economic coercion. Washington wants its allies to pay the bill for its own failure to compete in the new energy vehicle sector,",
      "Qian Zhiyuan", "direct", "said"),
    S("Chinese battery makers lead the world in cost and safety", "Qian Zhiyuan", "indirect", "noted"),
    S('Canadian consumers have already "voted with their wallets" since tariffs on Chinese EVs were lowered in January',
      "Qian Zhiyuan", "mixed", "said"),
    S('the US approach reflects a "with us or against us" mentality that leaves little room for its partners\' legitimate development interests',
      "Sun Yiran", "mixed", "said"),
    S("Canada has its own national interests. Cooperation with China across the EV industrial chain brings jobs, technology and more affordable cars to Canadian families,",
      "Sun Yiran", "direct", "said"),
    S("No third party has the right to interfere in that.", "Sun Yiran", "direct", "said"),
    S("Washington's pressure is unlikely to succeed in the long run", "Sun Yiran", "indirect", "in her view"),
    S("Canadian automakers have invested billions of dollars in battery supply chains that cannot be rebuilt overnight, and any attempt to force them out would raise costs on both sides of the border",
      "Sun Yiran", "continuation", None),
    S("Ottawa remains under heavy pressure because Canada sends about three-quarters of its exports to the US", "Qian Zhiyuan", "indirect", "cautioned"),
    S("Some Canadian politicians", "Qian Zhiyuan", "indirect", "said"),
    S("may be tempted to make concessions in exchange for tariff relief", "Qian Zhiyuan", "indirect", "said", join=True),
    S("China and Canada are highly complementary in trade, with Canadian canola, seafood and energy meeting Chinese demand while Chinese machinery and consumer goods keep prices down for Canadian households",
      ["Qian Zhiyuan", "Sun Yiran"], "indirect", "noted"),
    S("sales of Chinese-made EVs in Canada have more than tripled since January, with several models selling out within weeks of their launch",
      "China Herald", "indirect", "noticed"),
    S("China-Canada economic and trade cooperation is mutually beneficial and is not directed against any third party",
      "Lin Xiaoyu", "indirect", "said"),
    S("We hope the relevant country will abandon the zero-sum mindset, stop overstretching the concept of national security and stop using tariffs as a weapon to coerce others,",
      "Lin Xiaoyu", "direct", "said"),
    S("the US to respect market rules and the independent choices of other countries", "Lin Xiaoyu", "indirect", "urged"),
    S('"coercion will not make American industry more competitive."', "Lin Xiaoyu", "mixed", "saying"),
    S('the relationship with China as a "strategic partnership" built on pragmatism', "Mark Carney", "mixed", "described"),
    S("History has shown that decoupling from China is not an option for any economy that wants to stay competitive. Canada understands this better than most.",
      "Sun Yiran", "direct", "added"),
]

# Canadian national paper, curly quotes and apostrophes: the lead's "Quebec’s
# premier, who said" before the premier is named; honorifics ("Mr. Haddad",
# "Ms. Archambault"); "would not say" (not a statement); companies and
# embassies as speakers; two female premiers and "Her Quebec counterpart, she
# added, “...”" (she = Archambault); parenthetical cue inside indirect speech;
# anonymous embassy spokesperson; "Analysts said"; "According to X, a ...";
# continuation.
GOLD["lakeshore-standard-2026-02-24-lithium-takeover-blocked"] = [
    S("Ottawa had been “bullied into it.”", "Geneviève Ouellet", "mixed", "said"),
    S("the review had identified “credible risks” linked to the buyer’s ties to the Chinese state and to the strategic importance of lithium supply chains",
      "Omar Haddad", "mixed", "said"),
    S("This was not a decision about China. It was a decision about a specific transaction, a specific buyer and a specific mineral that our allies and our own industries are going to depend on for decades,",
      "Omar Haddad", "direct", "said"),
    S("Canada and the United States are negotiating a critical minerals framework that both sides hope to sign before the G7 summit in June",
      "Omar Haddad", "indirect", "noted"),
    S("it was “deeply disappointed” and would consider its legal options", "Hunan Xinjie New Energy", "mixed", "said in a statement"),
    S("its board would meet this week to review alternatives", "Boréal Lithium", "indirect", "said"),
    S("the federal government had failed to consult the province and had put “the preferences of a foreign capital” ahead of jobs in Abitibi",
      "Geneviève Ouellet", "mixed", "told"),
    S("Let’s call it what it is. Ottawa was told what to do, and Ottawa did it,", "Geneviève Ouellet", "direct", "said"),
    S("Quebecers are the ones who will pay for that.", "Geneviève Ouellet", "direct", "said"),
    S("the decision was “the right call”", "Colleen Archambault", "mixed", "said"),
    S("Canada could not expect preferential access to the American market while selling strategic assets to Beijing",
      "Colleen Archambault", "indirect", "argued"),
    S("You can’t sit at the table with your biggest customer and sell the silverware to their main competitor,",
      "Colleen Archambault", "direct", "said"),
    # "she" = Archambault; "Her Quebec counterpart" (Ouellet) is the topic.
    S("Her Quebec counterpart", "Colleen Archambault", "mixed", "added"),
    S("“would be singing a different tune if the buyer were American and the jobs were in Regina.”",
      "Colleen Archambault", "mixed", "added", join=True),
    S("he understood both positions", "Alan MacPhee", "indirect", "said"),
    S("Provinces need capital to develop their mineral deposits", "Alan MacPhee", "indirect", "said"),
    S("Ottawa has to make clear which investors are welcome before companies spend years negotiating deals",
      "Alan MacPhee", "indirect", "said", join=True),
    S("the United States “welcomes Canada’s vigilance” and looks forward to “deepening our integrated critical minerals partnership.”",
      "U.S. Embassy in Ottawa", "mixed", "said in a statement"),
    S("Canada of “politicizing normal commercial cooperation”", "spokesperson for the Chinese Embassy in Ottawa", "mixed", "accused"),
    S("the decision would “send a negative signal to Chinese investors.”", "spokesperson for the Chinese Embassy in Ottawa", "mixed", "said"),
    S("the government had let the review drag on for 14 months, leaving the company and its 300 employees in limbo",
      "Brenda Kowalchuk", "indirect", "said"),
    S("If this deal was a security risk in February, it was a security risk in the first week,", "Brenda Kowalchuk", "direct", "said"),
    S("the decision was likely to become a template", "analysts", "indirect", "said"),
    S("at least three other pending transactions involving Chinese buyers of Canadian mineral assets could now face similar scrutiny",
      "Heather Ng", "indirect", "according to"),
    S("the government would publish new guidelines on foreign investment in critical minerals “within 60 days.”",
      "Omar Haddad", "mixed", "said"),
    S("Ottawa wants investors to know the rules before they write a cheque, not after", "Omar Haddad", "continuation", None),
]

# US politics outlet, straight quotes: press secretary + "the press secretary";
# "The president has been very clear" inside her quote (not Trump's
# statement); anonymous "senior administration official" + "the official";
# "Bloomberg News first reported the deliberations" (no content: not a
# statement); "defended Y as Z"; two senators, "The senator said she" (=
# Castellanos); parenthetical cues in indirect speech; "he said" with Ridley
# inside Marsh's clause; "according to Marsh" in mid-sentence; organisation
# "according to".
GOLD["beltway-ledger-2026-02-26-canadian-ev-battery-tariffs"] = [
    S("The Trump administration is weighing new tariffs on electric vehicles assembled in Canada with Chinese-made batteries",
      "Dana Whitcombe", "indirect", "said"),
    S("The president has been very clear. He is not going to let China use Canada as a loading dock to get around American tariffs,",
      "Dana Whitcombe", "direct", "told"),
    S("Every option is on the table.", "Dana Whitcombe", "direct", "told"),
    S('the trade pact "was never meant to be a back door for Beijing."', "Dana Whitcombe", "mixed", "said"),
    S('any action would be "fully consistent with our rights."', "Dana Whitcombe", "mixed", "added"),
    S("the Commerce Department had been asked to draft options ranging from a 25 percent tariff on the battery content of Canadian-assembled vehicles to an outright exclusion of those vehicles from USMCA benefits",
      "senior administration official", "indirect", "said"),
    S("A decision could come before the pact's joint review in July", "senior administration official", "indirect", "said"),
    S("the arrangement as a way to lower prices for consumers and attract manufacturing jobs", "Canadian officials", "indirect", "defended"),
    S('the administration was "doing exactly what it should"', "Thomas Ridley", "mixed", "said"),
    S("it to move quickly", "Thomas Ridley", "indirect", "urged"),
    S("If Canada wants to be a partner, it has to act like one,", "Thomas Ridley", "direct", "said in a statement"),
    S("Ohio autoworkers should not have to compete with Chinese state subsidies laundered through Ontario.",
      "Thomas Ridley", "direct", "said in a statement"),
    S("a new tariff could backfire", "Maria Castellanos", "indirect", "warned"),
    S("Michigan suppliers", "Maria Castellanos", "mixed", "said"),
    S('would be "collateral damage in a fight with the wrong country."', "Maria Castellanos", "mixed", "said", join=True),
    S("she shared concerns about Chinese overcapacity", "Maria Castellanos", "indirect", "said"),
    S('the administration should negotiate with Ottawa rather than "punish our closest ally with a tariff first and questions later."',
      "Maria Castellanos", "mixed", "argued"),
    S('Canada had "no intention of becoming anybody\'s loading dock."', "Kirsten Hillier", "mixed", "said"),
    S("The quota for Chinese-built vehicles amounts to less than 3 percent of Canada's annual car sales", "Kirsten Hillier", "indirect", "noted"),
    S("We have been transparent with Washington at every step,", "Kirsten Hillier", "direct", "said"),
    S("What we're asking for is the same thing we'd offer: consultation before action.", "Kirsten Hillier", "direct", "said"),
    S('the United States was "abusing the concept of national security" to hobble Chinese companies and disrupt normal trade between third countries',
      "Chinese Embassy in Washington", "mixed", "said in a statement"),
    S("both governments were boxed in", "Ethan Marsh", "indirect", "said"),
    # "he" = Marsh (Ridley is inside the reported clause).
    S("Ridley and his allies want a show of strength before the midterm elections", "Ethan Marsh", "indirect", "said"),
    S("Ottawa cannot walk away from the China deal without a domestic backlash", "Ethan Marsh", "indirect", "said", join=True),
    S("Nobody wants to be the one who blinks first,", "Ethan Marsh", "direct", "said"),
    S("That's usually how you end up with a tariff nobody actually designed.", "Ethan Marsh", "direct", "said"),
    S("The likeliest outcome", "Ethan Marsh", "indirect", "according to"),
    S("is a narrow levy on battery content that both capitals can live with", "Ethan Marsh", "indirect", "according to", join=True),
    S("The Canadian automotive sector employs roughly 125,000 people", "Canadian Vehicle Manufacturers' Association", "indirect", "according to"),
]


# --------------------------------------------------------------------------
# Held-out set 2 (March 2026), annotated by hand before running the extractor.
# --------------------------------------------------------------------------
# Wire style: "told ... that" with a partial quote, split-off second quoted
# sentence, he/she with a male minister and a female USTR, said-no-that,
# "said in a statement that", anonymous official, indirect speech split by an
# inverted "she said", continuation after a direct quote, "according to" an
# organisation, a group ("The group") relayed by the Canadian Press.
GOLD["continental-wire-2026-03-05-dairy-quota-barbs"] = [
    S('Canada had "slow-walked every commitment it made on dairy" since the pact took effect',
      "Megan Caldwell", "mixed", "told"),
    S("Washington was prepared to bring a new case under the agreement's dispute-settlement chapter",
      "Megan Caldwell", "indirect", "said"),
    S("We have been patient. We have been more than patient,", "Megan Caldwell", "direct", "said"),
    S("American dairy farmers were promised access to the Canadian market, and they are still waiting for it.",
      "Megan Caldwell", "direct", "said"),
    S("Supply management is not on the table, and it was never on the table,", "Dominic Leclair", "direct", "told"),
    S("Ambassador Caldwell knows that as well as I do.", "Dominic Leclair", "direct", "told"),
    S("Canada had fully met its obligations under two previous panel rulings", "Dominic Leclair", "indirect", "said"),
    S("the United States had not filled its own share of the tariff-rate quotas in any year since 2021",
      "Dominic Leclair", "indirect", "adding"),
    S("Canadian exports of butter and cheese to the US had also faced new inspection fees this winter",
      "Dominic Leclair", "indirect", "noted"),
    S('the law as "a provocation dressed up as procedure."', "Megan Caldwell", "mixed", "described"),
    # "She" = Caldwell (the only female candidate).
    S("the administration would raise the matter when negotiators meet in Mexico City later this month",
      "Megan Caldwell", "indirect", "said"),
    S("no decision had been made", "Dominic Leclair", "indirect", "said"),
    S('he had spoken with Caldwell by phone on Wednesday and that the call had been "frank."',
      "Dominic Leclair", "mixed", "said in a statement"),
    S("the US side had not tabled a specific proposal on dairy", "senior Canadian official", "indirect", "said"),
    S("They want a headline, not a negotiation,", "senior Canadian official", "direct", "said"),
    S("both governments were playing to domestic audiences", "Anjali Mehta", "indirect", "said"),
    S("The dollar amounts at stake are small compared with autos or energy", "Anjali Mehta", "indirect", "said"),
    S("dairy carries symbolic weight in Quebec and in Wisconsin alike", "Anjali Mehta", "indirect", "said", join=True),
    S("Nobody is going to lose an election over the price of cheese in Buffalo,", "Anjali Mehta", "direct", "said"),
    S("But somebody could lose one over a farm closing in the Eastern Townships.", "Anjali Mehta", "direct", "said"),
    S("Washington's leverage is also weaker than it looks, because the quotas it wants expanded are already going unused",
      "Anjali Mehta", "continuation", None),
    S("the sector supports about 220,000 jobs", "Dairy Farmers of Canada", "indirect", "according to"),
    S('Ottawa to "hold the line,"', "Dairy Farmers of Canada", "mixed", "urged", "The Canadian Press"),
]

# SCMP style: British punctuation (closing period outside the quote), "told
# the Post" (the outlet itself as via), an organisation "said", a group
# reference over two Chinese scholars, inverted multi-sentence quote, "he" vs
# "her" (Fournier/Okafor), an "in his view" continuation, an embassy statement
# with said + urged, a named embassy spokesperson, "according to" an acronym,
# an outlet relaying and an outlet making its own claim.
GOLD["southsea-post-2026-03-11-canada-visa-screening-academics"] = [
    S('the measure was "country-agnostic"', "Immigration, Refugees and Citizenship Canada", "mixed", "said"),
    S('the policy was "less about security than about signalling to Washington"',
      "Han Jiaqi", "mixed", "told", "South Sea Morning Post"),
    S("Canada is trying to prove its loyalty before the trade review,", "Han Jiaqi", "direct", "said"),
    S("It is the students who pay the price.", "Han Jiaqi", "direct", "said"),
    S("Ottawa had legitimate concerns about technology transfer", "Cheng Yufei", "indirect", "said"),
    S("a blanket screening rule would push talented students towards Europe and Australia",
      "Cheng Yufei", "indirect", "argued"),
    S("they expected Beijing to respond cautiously, as it was still seeking to restore relations with Ottawa after the 2024 canola dispute",
      ["Han Jiaqi", "Cheng Yufei"], "indirect", "said"),
    S("We have spent 20 years building labs that depend on these collaborations. You cannot switch them off with a memo and expect them to come back,",
      "Margaret Okafor", "direct", "said"),
    S("the previous system relied too heavily on universities policing themselves", "Daniel Fournier", "indirect", "said"),
    S("Frankly, the old approach was a fig leaf,", "Daniel Fournier", "direct", "told", "South Sea Morning Post"),
    S("The new rule, in his view, at least makes the standard public", "Daniel Fournier", "continuation", None),
    S("she did not dispute that some risks were real", "Margaret Okafor", "indirect", "said"),
    S('the six-month wait as "a de facto ban for anyone on a funding clock"', "Margaret Okafor", "mixed", "described"),
    S('Beijing "firmly opposes" the politicisation of normal educational exchanges',
      "Chinese Embassy in Ottawa", "mixed", "said in a statement"),
    S('Canada to "provide a fair, just and non-discriminatory environment for Chinese students"',
      "Chinese Embassy in Ottawa", "mixed", "urged"),
    S('China would "take the necessary measures to protect the legitimate rights and interests" of its citizens',
      "Zhao Liwen", "mixed", "added"),
    S("about 9,300 Chinese students held active graduate-level study permits at the end of last year",
      "Immigration, Refugees and Citizenship Canada", "indirect", "according to"),
    S("it had not been consulted on the list of sensitive fields", "Universities Canada", "indirect", "said", "The Globe and Mail"),
    S("the list had been drawn up with input from Canada's Five Eyes intelligence partners",
      "The Globe and Mail", "indirect", "said"),
    S('he "stands by" the decision and that the screening would be reviewed after a year', "Samuel Osei", "mixed", "said"),
]

# CBC style: two named premiers in the lede ("say"), "the two premiers" group
# reference, split-off second quoted sentence, said + noted, "according to" at
# the end of a sentence, "called X 'reckless'", "she said in a statement" vs
# "Premier Ford" inside the quote, "In an interview with CBC News" (via),
# "He said she had been" (two genders), anonymous provincial official relaying
# to CBC, inverted indirect "..., he said", a trailing unattributed quote,
# Reuters making its own claim, narration.
GOLD["northern-broadcast-2026-03-18-electricity-exports"] = [
    S("they are prepared to use electricity exports as leverage if Washington follows through on new tariffs on Canadian aluminum",
      ["Doug Ford", "Claire Boudreau"], "indirect", "say"),
    S("any surcharge on power sent south would be a last resort", ["Doug Ford", "Claire Boudreau"], "indirect", "said"),
    S("Nobody wants to do this. But we're not going to sit back while our workers get hammered,", "Doug Ford", "direct", "said"),
    S("If they want to play hardball, we've got the power — literally.", "Doug Ford", "direct", "said"),
    S('New Brunswick would "keep every option on the table,"', "Claire Boudreau", "mixed", "said"),
    S("the utility's export contracts run until 2031 and could not simply be torn up", "Claire Boudreau", "indirect", "noted"),
    S("Ontario exported about 14 terawatt-hours of electricity to the US last year, most of it to New York and Michigan",
      "Independent Electricity System Operator", "indirect", "according to"),
    S('the threat "reckless"', "Alicia Brennan", "mixed", "called"),
    S("it would hurt families on both sides of the border", "Alicia Brennan", "indirect", "said"),
    S("Premier Ford knows that New Yorkers are not the ones setting tariff policy,", "Alicia Brennan", "direct", "said in a statement"),
    S("Punishing our ratepayers for decisions made in Washington is not leverage. It's just cruelty with extra steps.",
      "Alicia Brennan", "direct", "said in a statement"),
    S("her office had been in contact with the White House about the aluminum tariffs, and that she had urged the administration to exempt Canadian metal used by New York manufacturers",
      "Alicia Brennan", "indirect", "said"),
    S('he had "a lot of respect" for the governor', "Doug Ford", "mixed", "said", "CBC"),
    S('she had been "a good friend to Ontario," but that his obligation was to the people of his province',
      "Doug Ford", "mixed", "said", "CBC"),
    S("the province had modelled a surcharge of 25 per cent on exports", "senior official in the Ontario government", "indirect", "told", "CBC"),
    S("no final decision had been taken", "senior official in the Ontario government", "indirect", "said"),
    S("an export surcharge would likely do more damage to Ontario's own finances than to American consumers",
      "Pierre-Luc Gendron", "indirect", "said"),
    S("Hydro exports are one of the few reliable sources of revenue for provincial utilities", "Pierre-Luc Gendron", "indirect", "said"),
    S("It's a weapon that points both ways.", "Pierre-Luc Gendron", "direct", "said"),
    S("the US Commerce Department was preparing a list of Canadian aluminum products that could be exempted from the tariffs",
      "Reuters", "indirect", "reported"),
]


# ==========================================================================
# Machinery
# ==========================================================================
def load_groups(path: Path = REGISTRY) -> dict[str, str]:
    """Canonical speaker name -> registry group."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {sp["name"]: sp.get("group", "unregistered") for sp in data.get("speakers", [])}


def article_path(stem: str) -> Path:
    return ARTICLE_PATHS.get(stem, DATA / "articles" / f"{stem}.txt")


def read_article(stem: str) -> str:
    # newline="" keeps the file's characters exactly, so offsets are into the raw text.
    with open(article_path(stem), encoding="utf-8", newline="") as fh:
        return fh.read()


def locate(article: str, text: str, after: str | None, stem: str) -> int:
    lo = 0
    if after is not None:
        if article.count(after) != 1:
            raise ValueError(f"{stem}: anchor {after!r} occurs {article.count(after)} times")
        lo = article.index(after)
    first = article.find(text, lo)
    if first < 0:
        raise ValueError(f"{stem}: text not found: {text!r}")
    if after is None and article.find(text, first + 1) >= 0:
        raise ValueError(f"{stem}: text occurs more than once, give after=: {text!r}")
    return first


def build_rows(stem: str, entries: list[dict], groups: dict[str, str]) -> list[dict]:
    article = read_article(stem)
    rows = []
    prev_ids: dict[str, str] | None = None
    for e in entries:
        start = locate(article, e["text"], e["after"], stem)
        end = start + len(e["text"])
        speakers = e["speaker"] if isinstance(e["speaker"], list) else [e["speaker"]]
        ids = {}
        for sp in speakers:
            if e["join"]:
                if prev_ids is None or sp not in prev_ids:
                    raise ValueError(f"{stem}: join=True without a matching previous entry: {e['text']!r}")
                sid = prev_ids[sp]
            else:
                sid = f"{stem}:{start}-{end}"
                if len(speakers) > 1:
                    sid = f"{sid}:{sp}"
            ids[sp] = sid
            if e["group"] is not None:
                group = e["group"]
            else:
                group = groups.get(sp, "unregistered")
            row = {
                "article": stem,
                "statement_id": sid,
                "speaker": sp,
                "group": group,
                "kind": e["kind"],
                "cue": e["cue"],
                "via": e["via"],
                "text": e["text"],
                "start": start,
                "end": end,
            }
            if article[start:end] != row["text"]:  # pragma: no cover - locate() guarantees it
                raise ValueError(f"{stem}: offset mismatch for {row['text']!r}")
            rows.append(row)
        prev_ids = ids
    rows.sort(key=lambda r: (r["start"], r["end"], r["speaker"]))
    keys = [(r["statement_id"], r["start"], r["end"]) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{stem}: duplicate annotation")
    return rows


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    groups = load_groups()
    stale = []
    for stem, entries in GOLD.items():
        out = HERE / f"{stem}.jsonl"
        text = render(build_rows(stem, entries, groups))
        if check:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                stale.append(out.name)
        else:
            out.write_text(text, encoding="utf-8")
            print(f"{out.name}: {text.count(chr(10))} statements")
    if stale:
        print("stale gold files: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
