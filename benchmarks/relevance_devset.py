"""Build the relevance development set: 40 one-topic talks of five parts each, with paraphrased queries.

Each video (320x180, 10 fps, 30 s) covers one everyday field (cooking, weather, football, ...) in five
6-second parts, order rotating from video to video: two *spoken* parts (a sentence over a plain coloured
background, one read by an espeak-ng voice, the other by festival's kal_diphone voice), two *captioned* parts
(ffmpeg ``drawtext`` on a plain background, no speech) and one purely *visual* part (a photograph shipped
in the scikit-image wheel or matplotlib's sample data, no speech, no text). No frame comes from
../shared/videos (``footage()`` is empty).

Every part has its own query. For each video, one spoken and one captioned query *paraphrase* (they share
no content word, as ``vidgist.scorers.zero_shot.content_words`` counts them, with what is said or shown: a
synonym, a category for an instance, a goal for a procedure) and the other two share words. Six *absent*
queries per video name nothing in it: four from the same field (hard negatives), two from the next
video's field. One *decoy* per video (``DECOYS``) is an absent query that shares a content word with one
of its lines but names something else. Videos are cached (never committed) in ``--out`` (default
/tmp/vidgist-relevance-devset) with ``devset.json`` holding the truth.

The halves are assigned per group of talks (``GROUPS``, ``half_of``), in order:

- the first 16 talks (``FIELDS`` as written first): even-numbered ones *fit*, odd-numbered ones *held-out*;
- the next 8 (``ADDED_FIELDS``, talks 16-23): all held-out;
- the next 12 (``MORE_FIT_FIELDS``, talks 24-35): all fit, so the fit half has 20 talks (20 spoken and 20
  captioned paraphrases, 120 absent queries);
- the last 4 (``MORE_HELD_FIELDS``, talks 36-39): all held-out (20 talks in that half).

- the 12 *section* talks (``SECTION_TALKS``, talks 40-51): even-numbered ones fit, odd-numbered ones
  held-out. Each is three spoken parts of three sentences (about 8-13 s a part; one voice a part,
  festival and an espeak-ng voice alternating; 0.4 s between sentences, 1.5 s between parts, one plain
  background, no captions). Each part's query names the part as a whole and shares no content word with
  it (a goal for a procedure, a category for instances), so no single sentence says it; one part per
  talk also has a word-sharing query. Three same-field absent queries (plus the next talk's first two)
  and one decoy per talk. The parts' said spans (first sentence's start to last sentence's end) depend on
  the synthesised speech: they are written beside each video (``NAME.spans.json``) when it is built. A
  part's ``span`` (what a hit must fall in) tiles the talk as the one-sentence talks' parts do: from the
  middle of the pause before it to the middle of the pause after it (``tiled_spans``); ``said`` keeps the
  said span.

A talk's "next field" is taken within its own group (the group's last talk wraps to its first), so no
talk's queries change when a group is added. The relevance constants in ``vidgist.summarize.relevance``
are fitted on the fit half only; ``bench_relevance.py`` reports both. The last two groups use their own
espeak-ng voices (``MORE_ESPEAK_VOICES``) beside festival, and their photos repeat ``PHOTOS`` in turn.

    python benchmarks/relevance_devset.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = Path("/tmp/vidgist-relevance-devset")
PART_SECONDS = 6.0
SIZE = (320, 180)
FPS = 10
SAMPLE_RATE = 16000
SPEECH_AT = 0.3
#: bumped whenever the videos change (names carry it, so a cache of older videos is not reused)
VERSION = 3

#: one field per video: two spoken (sentence, query), two captioned (text, query), four absent queries
#: from the same field
FIELDS: list[dict[str, Any]] = [
    {
        "field": "cooking",
        "speech": [
            (
                "Whisk the eggs with sugar until the mixture turns pale and fluffy.",
                "beating batter for a dessert",
            ),
            ("Chop the garlic finely and fry it in olive oil.", "frying chopped garlic"),
        ],
        "caption": [
            ("SLOW COOKER CHILLI", "slow cooker chilli recipe"),
            ("KNIFE SKILLS 101", "how to cut vegetables like a chef"),
        ],
        "absent": [
            "grilling steak on a barbecue",
            "baking rye loaves",
            "making homemade ice cream",
            "pickling cucumbers",
        ],
    },
    {
        "field": "weather",
        "speech": [
            ("Expect heavy snow across the northern hills by Thursday night.", "a winter storm on the way"),
            ("Strong winds will knock out power lines along the coast.", "winds and power lines"),
        ],
        "caption": [("HEAT ADVISORY", "heat advisory today"), ("UV INDEX: VERY HIGH", "risk of sunburn")],
        "absent": [
            "a hurricane making landfall",
            "fog at the airport",
            "a drought on farmland",
            "an earthquake alert",
        ],
    },
    {
        "field": "football",
        "speech": [
            ("The striker curled the ball into the top corner in the last minute.", "a late winning goal"),
            ("The referee showed a red card to the defender.", "a red card for the defender"),
        ],
        "caption": [
            ("HALF TIME: 1-0", "score at the break"),
            ("TRANSFER WINDOW OPENS", "the transfer window"),
        ],
        "absent": [
            "a penalty shootout",
            "a tennis grand slam final",
            "a swimming relay race",
            "a golf tournament",
        ],
    },
    {
        "field": "health",
        "speech": [
            ("Wash your hands with soap for at least twenty seconds.", "hygiene to stop germs spreading"),
            ("Getting eight hours of sleep helps your body recover.", "hours of sleep"),
        ],
        "caption": [
            ("FLU VACCINE CLINIC", "getting a jab against influenza"),
            ("DRINK MORE WATER", "drink more water every day"),
        ],
        "absent": [
            "a dentist filling a cavity",
            "treating a sprained ankle",
            "lowering blood pressure",
            "quitting smoking",
        ],
    },
    {
        "field": "money",
        "speech": [
            (
                "Compare the interest on loans from three different banks before you sign.",
                "compare loan interest from banks",
            ),
            ("Put a little money aside from every pay cheque.", "building a rainy day fund"),
        ],
        "caption": [
            ("CREDIT SCORE EXPLAINED", "credit score"),
            ("TAX RETURN DEADLINE", "filing your annual income declaration"),
        ],
        "absent": [
            "buying shares on the stock exchange",
            "cryptocurrency mining",
            "a mortgage for a first home",
            "insurance claims after a flood",
        ],
    },
    {
        "field": "travel",
        "speech": [
            (
                "Pack light and roll your clothes to fit more into a small bag.",
                "tips for a carry-on suitcase",
            ),
            ("The night train from Vienna reaches Venice before breakfast.", "night train to Venice"),
        ],
        "caption": [
            ("GATE CHANGED TO B12", "boarding at a different departure point"),
            ("PASSPORT CONTROL", "passport control"),
        ],
        "absent": [
            "a cruise ship in the fjords",
            "camping in a national park",
            "renting a car abroad",
            "a hotel check-in desk",
        ],
    },
    {
        "field": "computers",
        "speech": [
            ("Restart your router if the connection keeps dropping.", "fixing slow internet at home"),
            (
                "This laptop has sixteen gigabytes of memory and a fast processor.",
                "laptop memory and processor",
            ),
        ],
        "caption": [
            ("SOFTWARE UPDATE AVAILABLE", "a software update"),
            ("PASSWORD TOO WEAK", "choosing a secure login"),
        ],
        "absent": [
            "building a gaming PC",
            "a drone filming from the air",
            "printing with a 3D printer",
            "repairing a cracked phone screen",
        ],
    },
    {
        "field": "gardening",
        "speech": [
            ("Dig a hole twice as wide as the roots before planting the shrub.", "planting a shrub"),
            ("Ladybirds eat the aphids that damage your beans.", "natural pest control for vegetables"),
        ],
        "caption": [
            ("MULCH YOUR BEDS", "spreading mulch on beds"),
            ("COMPOST BIN TIPS", "recycling kitchen scraps for soil"),
        ],
        "absent": [
            "mowing the lawn",
            "pruning an apple tree",
            "growing orchids indoors",
            "building a greenhouse",
        ],
    },
    {
        "field": "pets",
        "speech": [
            ("Brush your cat every week so it swallows less fur.", "grooming a kitten"),
            ("Fish tanks need a filter and a weekly water change.", "cleaning a fish tank filter"),
        ],
        "caption": [
            ("ADOPT A RESCUE DOG", "adopt a rescue dog"),
            ("VET OPEN SUNDAY", "animal clinic weekend hours"),
        ],
        "absent": [
            "a parrot learning words",
            "horse riding lessons",
            "walking a puppy on a leash",
            "a hamster cage",
        ],
    },
    {
        "field": "school",
        "speech": [
            (
                "Students should read the chapter before tomorrow's seminar.",
                "read the chapter before the seminar",
            ),
            ("Write your name at the top of every answer sheet.", "exam instructions"),
        ],
        "caption": [
            ("LIBRARY CLOSES AT 6PM", "opening hours for borrowing books"),
            ("SCIENCE FAIR WINNERS", "science fair winners"),
        ],
        "absent": [
            "a graduation ceremony",
            "a yellow school bus",
            "a chemistry experiment going wrong",
            "learning to play the recorder",
        ],
    },
    {
        "field": "home repair",
        "speech": [
            ("Sand the door gently before you paint it a second time.", "sand and paint a door"),
            ("Turn off the water at the main valve before changing the tap.", "fixing a dripping faucet"),
        ],
        "caption": [
            ("WEAR SAFETY GOGGLES", "protect your eyes when drilling"),
            ("TILING A BATHROOM", "tiling a bathroom floor"),
        ],
        "absent": [
            "assembling flat pack furniture",
            "hanging wallpaper",
            "installing a ceiling fan",
            "fixing a leaking roof",
        ],
    },
    {
        "field": "music",
        "speech": [
            ("Hold the bow lightly and draw it slowly across the strings.", "playing the cello"),
            ("The choir will rehearse the new song on Friday evening.", "the choir will rehearse a song"),
        ],
        "caption": [
            ("LIVE JAZZ TONIGHT", "live jazz"),
            ("TICKETS AT THE DOOR", "buying admission on arrival"),
        ],
        "absent": ["a drum solo", "a rock festival crowd", "tuning a piano", "a DJ mixing records"],
    },
    {
        "field": "driving",
        "speech": [
            ("Check the tyre pressure once a month and before long trips.", "checking tyre pressure"),
            (
                "The bus to the airport now leaves every fifteen minutes.",
                "a more frequent shuttle to the terminal",
            ),
        ],
        "caption": [
            ("ROADWORKS NEXT 2 MILES", "construction on the highway ahead"),
            ("ELECTRIC CHARGING POINT", "electric charging point"),
        ],
        "absent": [
            "a traffic jam on a bridge",
            "a motorbike race",
            "learning to parallel park",
            "a ferry crossing",
        ],
    },
    {
        "field": "shopping",
        "speech": [
            ("Keep your receipt, you can return the shoes within thirty days.", "the store refund policy"),
            ("Fresh bread is half price after seven in the evening.", "half price fresh bread"),
        ],
        "caption": [
            ("CLEARANCE: EVERYTHING MUST GO", "a clearance event"),
            ("CASH ONLY", "cards not accepted"),
        ],
        "absent": [
            "trying on a wedding dress",
            "a queue at a toy store",
            "online grocery delivery",
            "a jeweller repairing a watch",
        ],
    },
    {
        "field": "science",
        "speech": [
            ("The telescope spotted a comet passing close to Mars.", "a comet near Mars"),
            ("Plants turn sunlight into sugar through their leaves.", "how photosynthesis works"),
        ],
        "caption": [
            ("LAUNCH IN T-MINUS 10", "a countdown before liftoff"),
            ("SOLAR ECLIPSE LIVE", "the solar eclipse"),
        ],
        "absent": [
            "a volcano on the ocean floor",
            "dinosaur fossils on display",
            "a particle accelerator",
            "a meteor shower",
        ],
    },
    {
        "field": "office",
        "speech": [
            (
                "Please send the slides to everyone before the meeting starts.",
                "send the slides before the meeting",
            ),
            ("Our team is hiring two new engineers this spring.", "job openings at the company"),
        ],
        "caption": [
            ("QUARTERLY REPORT", "results for the last three months"),
            ("REMOTE WORK POLICY", "remote work policy"),
        ],
        "absent": [
            "a job interview",
            "a fire drill at the office",
            "an office birthday cake",
            "a coffee break chat",
        ],
    },
]
#: talks added after the constants were fitted: all held out (index ``FITTED_TALKS`` on), built alike
ADDED_FIELDS: list[dict[str, Any]] = [
    {
        "field": "camping",
        "speech": [
            ("Pitch the tent on flat ground away from the river bank.", "where to set up a shelter outdoors"),
            (
                "Bring a warm sleeping bag because nights in the mountains get cold.",
                "a warm sleeping bag for cold nights",
            ),
        ],
        "caption": [
            ("CAMPFIRE BAN IN EFFECT", "campfire ban"),
            ("BEARS SEEN NEAR TRAIL", "wild animal warning"),
        ],
        "absent": [
            "roasting marshmallows",
            "a canoe trip on a lake",
            "lighting a gas stove",
            "mosquito bites",
        ],
    },
    {
        "field": "fitness",
        "speech": [
            ("Do three sets of ten squats with a short rest between them.", "leg workout routine"),
            (
                "Stretch your hamstrings for thirty seconds after every run.",
                "stretching hamstrings after running",
            ),
        ],
        "caption": [
            ("GYM OPEN 24 HOURS", "gym opening hours"),
            ("PROTEIN SHAKES HALF PRICE", "discount on sports drinks"),
        ],
        "absent": [
            "a yoga class at sunrise",
            "lifting heavy barbells",
            "a marathon finish line",
            "an indoor rowing machine",
        ],
    },
    {
        "field": "cinema",
        "speech": [
            ("The sequel earned more at the box office than the first film.", "a movie sales record"),
            ("Please switch off your phones before the film begins.", "switch off phones during the film"),
        ],
        "caption": [
            ("SOLD OUT TONIGHT", "no seats left for this evening"),
            ("3D GLASSES REQUIRED", "glasses for the 3D screening"),
        ],
        "absent": [
            "a red carpet premiere",
            "buying popcorn at the counter",
            "an award for best actor",
            "a horror movie trailer",
        ],
    },
    {
        "field": "farming",
        "speech": [
            ("The cows are milked twice a day, at dawn and at dusk.", "dairy herd routine"),
            (
                "We harvest the wheat in August when the grain turns golden.",
                "harvesting wheat in late summer",
            ),
        ],
        "caption": [
            ("FRESH EGGS FOR SALE", "fresh eggs sold here"),
            ("TRACTOR CROSSING", "farm vehicles on the road"),
        ],
        "absent": [
            "shearing sheep",
            "planting rice in paddies",
            "a pig show at the county fair",
            "beekeeping and honey",
        ],
    },
    {
        "field": "photography",
        "speech": [
            ("Keep the sun behind you so the face is lit evenly.", "lighting tips for portraits"),
            ("A tripod keeps long exposures sharp at night.", "using a tripod for night exposures"),
        ],
        "caption": [
            ("PHOTO CONTEST ENTRIES", "photo contest"),
            ("NO FLASH PLEASE", "turn off the bright camera light"),
        ],
        "absent": [
            "a wedding photo shoot",
            "editing pictures on a laptop",
            "a drone filming a coast",
            "developing film in a darkroom",
        ],
    },
    {
        "field": "swimming",
        "speech": [
            (
                "Breathe out slowly under water and turn your head to inhale.",
                "breathing technique for the front crawl",
            ),
            ("The outdoor pool closes early on Sundays in winter.", "outdoor pool closing early"),
        ],
        "caption": [
            ("LIFEGUARD ON DUTY", "a lifeguard watching the swimmers"),
            ("DEEP END 3 METRES", "how far down the water goes"),
        ],
        "absent": [
            "a diving board competition",
            "a water polo match",
            "synchronised swimming",
            "goggles fogging up",
        ],
    },
    {
        "field": "chess",
        "speech": [
            ("She sacrificed her queen to force checkmate in three moves.", "a bold attack to win the game"),
            (
                "Control the centre of the board with your pawns early on.",
                "controlling the centre with pawns",
            ),
        ],
        "caption": [
            ("ROUND 5 PAIRINGS", "round five pairings"),
            ("CLOCKS START AT NOON", "the match begins at midday"),
        ],
        "absent": [
            "a grandmaster losing on time",
            "speed chess in a park",
            "a draw by repetition",
            "an opening book on a shelf",
        ],
    },
    {
        "field": "fishing",
        "speech": [
            ("Cast your line near the reeds where the trout hide in the shade.", "finding fish in a stream"),
            ("Use a small hook and fresh worms as bait.", "worms as bait on a small hook"),
        ],
        "caption": [
            ("CATCH AND RELEASE ONLY", "catch and release rules"),
            ("FISHING BY LICENCE ONLY", "permit needed before you start"),
        ],
        "absent": [
            "a salmon leaping upstream",
            "a boat stuck on a sandbank",
            "tying a fly lure",
            "a heron eating a frog",
        ],
    },
]
#: talks added to enlarge the fit half: all fit (index ``FITTED_TALKS + len(ADDED_FIELDS)`` on), built
#: alike, with their own espeak-ng voices (``MORE_ESPEAK_VOICES``)
MORE_FIT_FIELDS: list[dict[str, Any]] = [
    {
        "field": "housework",
        "speech": [
            ("Fold the towels straight out of the dryer so they stay soft.", "folding towels from the dryer"),
            ("Vinegar and baking soda will shift grease from the oven door.", "cleaning a greasy cooker"),
        ],
        "caption": [
            ("SORT LIGHTS FROM DARKS", "separating laundry by colour"),
            ("MOP THE KITCHEN FLOOR", "mop the kitchen floor"),
        ],
        "absent": [
            "ironing a shirt collar",
            "dusting high shelves",
            "unblocking a sink drain",
            "defrosting a freezer",
        ],
    },
    {
        "field": "baby care",
        "speech": [
            ("Lay the baby on its back to sleep, with no pillows in the cot.", "safe rest for a newborn"),
            (
                "Warm the bottle of milk and test a drop on your wrist.",
                "testing the milk bottle on your wrist",
            ),
        ],
        "caption": [
            ("NAPPY CHANGING ROOM", "nappy changing room"),
            ("FIRST TEETH AT SIX MONTHS", "when an infant starts teething"),
        ],
        "absent": [
            "a toddler learning to walk",
            "pushing a pram in the park",
            "a christening gown",
            "choosing a car seat for a child",
        ],
    },
    {
        "field": "cycling",
        "speech": [
            (
                "Pump the tyres hard and oil the chain before a long ride.",
                "looking after your bicycle for a trip",
            ),
            ("Always wear a helmet when you ride on busy roads.", "wearing a helmet on busy roads"),
        ],
        "caption": [
            ("BIKE LANE ENDS", "bike lane ends"),
            ("TOUR STAGE 12: MOUNTAIN FINISH", "a climb to the summit in a race"),
        ],
        "absent": [
            "a velodrome sprint",
            "riding a tandem",
            "a courier pedalling through the city",
            "BMX tricks at a skate park",
        ],
    },
    {
        "field": "skiing",
        "speech": [
            ("Bend your knees and lean forward as you go down the slope.", "ski posture for beginners"),
            ("The chairlift stops running at four in the afternoon.", "when the chairlift stops running"),
        ],
        "caption": [
            ("AVALANCHE RISK: HIGH", "avalanche risk"),
            ("FRESH POWDER 40 CM", "new snowfall overnight"),
        ],
        "absent": [
            "a ski jump competition",
            "snowboarding in a half pipe",
            "renting boots at the lodge",
            "cross-country skiing through a forest",
        ],
    },
    {
        "field": "hairdressing",
        "speech": [
            (
                "Ask for just two centimetres off to get rid of split ends.",
                "a small haircut to tidy damaged hair",
            ),
            (
                "Rinse the conditioner out with cool water for extra shine.",
                "rinse out conditioner with cool water",
            ),
        ],
        "caption": [
            ("WALK-INS WELCOME", "no appointment needed"),
            ("BEARD TRIM 10 EUROS", "beard trim price"),
        ],
        "absent": [
            "dyeing hair bright purple",
            "a wedding updo",
            "shaving with a straight razor",
            "hair extensions",
        ],
    },
    {
        "field": "post",
        "speech": [
            ("Your parcel will be left with a neighbour if nobody is home.", "a missed delivery"),
            ("Stamps for letters abroad cost more from April.", "the price of stamps for letters abroad"),
        ],
        "caption": [
            ("LAST POSTING DAY 20 DEC", "last posting day before the holidays"),
            ("TRACKING NUMBER REQUIRED", "a code to follow your shipment"),
        ],
        "absent": [
            "a sorting office at night",
            "a postbox painted red",
            "sending a telegram",
            "a courier van stuck in traffic",
        ],
    },
    {
        "field": "weddings",
        "speech": [
            ("The bride and groom will cut the cake after the speeches.", "the newlyweds sharing dessert"),
            ("Guests are asked to arrive at the church by two o'clock.", "guests arriving at the church"),
        ],
        "caption": [
            ("JUST MARRIED", "a couple who have tied the knot"),
            ("TABLE PLAN", "the seating table plan"),
        ],
        "absent": [
            "throwing the bouquet",
            "a stag party",
            "exchanging rings at the altar",
            "a honeymoon on an island",
        ],
    },
    {
        "field": "recycling",
        "speech": [
            (
                "Rinse out glass jars before you put them in the green bin.",
                "preparing empty containers for reuse",
            ),
            (
                "Old batteries go to the drop-off point at the supermarket.",
                "old batteries to the drop-off point",
            ),
        ],
        "caption": [
            ("NO PLASTIC BAGS", "no plastic bags"),
            ("COLLECTION EVERY OTHER TUESDAY", "fortnightly rubbish pickup"),
        ],
        "absent": [
            "a landfill site",
            "melting scrap metal",
            "a clothes swap",
            "collecting rainwater in a barrel",
        ],
    },
    {
        "field": "sewing",
        "speech": [
            ("Thread the needle and tie a small knot at the end.", "getting ready to stitch by hand"),
            ("Pin the pattern to the fabric before you cut it out.", "pin the pattern to the fabric"),
        ],
        "caption": [
            ("HEMMING TROUSERS", "hemming trousers"),
            ("BUTTONS AND ZIPS", "fasteners for clothes"),
        ],
        "absent": [
            "knitting a wool scarf",
            "a tailor measuring a suit",
            "embroidery on a cushion",
            "darning a sock",
        ],
    },
    {
        "field": "birdwatching",
        "speech": [
            ("Robins sing from the hedge at first light in spring.", "bird song at dawn"),
            ("Bring binoculars and keep very still near the lake.", "binoculars near the lake"),
        ],
        "caption": [
            ("OWL NESTING BOX", "owl nesting box"),
            ("RARE VISITOR: HOOPOE", "an unusual species spotted"),
        ],
        "absent": [
            "an eagle catching a fish",
            "feeding ducks bread",
            "a flock of migrating geese",
            "a hummingbird at a feeder",
        ],
    },
    {
        "field": "basketball",
        "speech": [
            ("He sank the three pointer just before the buzzer.", "a shot that won at the last second"),
            ("The coach called a timeout to calm the team down.", "the coach called a timeout"),
        ],
        "caption": [
            ("FOUL: 2 FREE THROWS", "two free throws"),
            ("PLAYOFFS START SUNDAY", "the knockout stage of the season begins"),
        ],
        "absent": [
            "a slam dunk contest",
            "a volleyball serve",
            "a baseball home run",
            "a wheelchair basketball match",
        ],
    },
    {
        "field": "painting",
        "speech": [
            ("Mix a little blue into the white for the sky.", "blending colours for a landscape"),
            ("Let each layer of oil paint dry for a day.", "letting layers of oil paint dry"),
        ],
        "caption": [
            ("LIFE DRAWING CLASS", "life drawing class"),
            ("GALLERY ENTRY FREE", "no charge to see the art"),
        ],
        "absent": [
            "a sculptor carving marble",
            "a street mural",
            "restoring an old fresco",
            "pottery on a wheel",
        ],
    },
]
#: talks added with them to the held-out half (never used in fitting), built alike
MORE_HELD_FIELDS: list[dict[str, Any]] = [
    {
        "field": "restaurant",
        "speech": [
            ("Can we see the dessert menu and the bill please.", "asking for pudding and paying"),
            (
                "The chef's special tonight is grilled sea bass with lemon.",
                "grilled sea bass special",
            ),
        ],
        "caption": [
            ("TABLE FOR TWO RESERVED", "table for two reserved"),
            ("KITCHEN CLOSES 10PM", "last orders for food"),
        ],
        "absent": [
            "a sushi conveyor belt",
            "tipping the waiter",
            "a food truck at a festival",
            "a wine tasting",
        ],
    },
    {
        "field": "moving house",
        "speech": [
            ("Label every box with the room it belongs in.", "organising cartons for the removal van"),
            (
                "Take meter readings for gas and electricity on the day you leave.",
                "meter readings on moving day",
            ),
        ],
        "caption": [
            ("NEW ADDRESS FROM 1 MAY", "new address from May"),
            ("KEYS HANDED OVER AT NOON", "getting into the flat at midday"),
        ],
        "absent": [
            "packing fragile plates in newspaper",
            "a piano carried up the stairs",
            "a storage unit",
            "assembling a bed frame",
        ],
    },
    {
        "field": "sailing",
        "speech": [
            ("Let out the mainsail as the wind comes from behind.", "trimming a boat for a downwind run"),
            ("Everyone on deck must wear a life jacket.", "wearing a life jacket on deck"),
        ],
        "caption": [
            ("HARBOUR SPEED LIMIT 5 KNOTS", "harbour speed limit"),
            ("GALE FLAGS UP", "bad weather warning at sea"),
        ],
        "absent": [
            "a yacht race around an island",
            "rowing a kayak",
            "a lighthouse keeper",
            "a submarine surfacing",
        ],
    },
    {
        "field": "elections",
        "speech": [
            ("Polling stations stay open until ten tonight.", "when you can cast your ballot"),
            ("Bring photo identification when you come to vote.", "bring photo identification to vote"),
        ],
        "caption": [
            ("EXIT POLL RESULTS", "exit poll results"),
            ("TURNOUT 64%", "how many people voted"),
        ],
        "absent": [
            "a campaign poster on a wall",
            "a new parliament sworn in",
            "a referendum on independence",
            "canvassing door to door",
        ],
    },
]
#: section-style talks (``SECTION_TALKS``): per talk, its field, 3 parts of (sentences, query naming the
#: part as a whole with no content word in common, optional word-sharing query or None), 3 absent queries
#: from the same field and one decoy (shares a content word with a line, names something else)
SECTION_TALKS: list[dict[str, Any]] = [
    {
        "field": "woodworking",
        "parts": [
            (
                [
                    "Measure the board twice and mark the line with a pencil.",
                    "Clamp it firmly to the bench so it cannot slide.",
                    "Then saw slowly along the mark, keeping the blade upright.",
                ],
                "cutting timber to length",
                "clamp the board and saw along the line",
            ),
            (
                [
                    "Rub the surface with coarse paper first.",
                    "Move to a finer grit until it feels smooth.",
                    "Wipe away the dust with a damp cloth.",
                ],
                "preparing wood for varnish",
                None,
            ),
            (
                [
                    "Spread glue thinly on both edges.",
                    "Press the pieces together and wipe off what squeezes out.",
                    "Leave the joint overnight before you move it.",
                ],
                "making a strong bond between planks",
                None,
            ),
        ],
        "absent": ["turning a bowl on a lathe", "building a birdhouse", "restoring an antique dresser"],
        "decoy": "a pencil skirt in a fashion show",
    },
    {
        "field": "first aid",
        "parts": [
            (
                [
                    "Press a clean pad hard onto the wound.",
                    "Keep the pressure on for ten minutes without lifting it.",
                    "Raise the injured arm above the level of the heart.",
                ],
                "stopping heavy bleeding",
                None,
            ),
            (
                [
                    "Tilt the head back and lift the chin.",
                    "Push down hard in the middle of the chest thirty times.",
                    "Give two rescue breaths and keep going until help arrives.",
                ],
                "resuscitation for a collapsed person",
                None,
            ),
            (
                [
                    "Cool the skin under running water for twenty minutes.",
                    "Do not pop any blisters.",
                    "Cover it loosely with cling film.",
                ],
                "treating a burn from the stove",
                "cool the skin under running water",
            ),
        ],
        "absent": ["a bee sting on the hand", "splinting a broken leg", "someone choking on food"],
        "decoy": "a chin strap on a helmet",
    },
    {
        "field": "rock climbing",
        "parts": [
            (
                [
                    "Step into the harness and pull it up to your waist.",
                    "Double back each buckle so it cannot slip.",
                    "Ask your partner to check the knot before you leave the ground.",
                ],
                "gearing up safely for a route",
                None,
            ),
            (
                [
                    "Keep your arms straight and let your legs do the work.",
                    "Look for small ledges for your toes.",
                    "Move one hand at a time and rest when you can.",
                ],
                "technique on a vertical wall",
                None,
            ),
            (
                [
                    "Lean back and trust the rope.",
                    "Walk your feet down the face in small steps.",
                    "Your partner lets the line out slowly from below.",
                ],
                "descending after reaching the top",
                "lean back and trust the rope",
            ),
        ],
        "absent": [
            "bouldering on a crash mat",
            "an avalanche on a glacier",
            "ice axes on a frozen waterfall",
        ],
        "decoy": "a skipping rope in a playground",
    },
    {
        "field": "coffee making",
        "parts": [
            (
                [
                    "Weigh out fifteen grams of beans.",
                    "Grind them about as fine as sea salt.",
                    "Rinse the paper filter with hot water first.",
                ],
                "preparing a drip brew",
                None,
            ),
            (
                [
                    "Pour a little water and wait thirty seconds for the bloom.",
                    "Then pour slowly in circles until the scale reads two hundred and fifty.",
                    "It should all drain through in about three minutes.",
                ],
                "extracting flavour gradually",
                None,
            ),
            (
                [
                    "Steam the milk until the jug is too hot to hold.",
                    "Tap it on the counter to pop big bubbles.",
                    "Tilt the cup and pour from close to draw a heart.",
                ],
                "latte art with frothed dairy",
                "steam the milk and pour a heart",
            ),
        ],
        "absent": ["descaling an espresso machine", "a barista championship", "cold brew in the fridge"],
        "decoy": "a bloom of algae in a pond",
    },
    {
        "field": "public speaking",
        "parts": [
            (
                [
                    "Write your main point on one card.",
                    "Say it out loud in front of a mirror every evening.",
                    "Time yourself and cut anything that runs over.",
                ],
                "rehearsing a presentation",
                None,
            ),
            (
                [
                    "Breathe in slowly through your nose before you walk on.",
                    "Your hands may shake, and that is normal.",
                    "Look at one friendly face in the room.",
                ],
                "coping with stage nerves",
                None,
            ),
            (
                [
                    "Pause after each question and repeat it for the room.",
                    "If you do not know the answer, say so.",
                    "Offer to follow up by email afterwards.",
                ],
                "handling the audience at the end",
                "repeat each question for the room",
            ),
        ],
        "absent": ["a wedding toast", "a political debate on television", "a stand-up comedy set"],
        "decoy": "a card trick by a magician",
    },
    {
        "field": "job hunting",
        "parts": [
            (
                [
                    "Keep it to one page with your latest role at the top.",
                    "List results with numbers, not just duties.",
                    "Ask a friend to look for spelling mistakes.",
                ],
                "improving a CV",
                None,
            ),
            (
                [
                    "Read about the company and its products the night before.",
                    "Prepare a short story about a problem you solved.",
                    "Arrive ten minutes early and bring a copy of your notes.",
                ],
                "getting ready for an interview",
                None,
            ),
            (
                [
                    "Do not accept the first figure they name.",
                    "Find out what similar roles pay in your city.",
                    "Ask for a little more and explain why you are worth it.",
                ],
                "negotiating salary",
                "what similar roles pay in your city",
            ),
        ],
        "absent": ["a recruitment fair at a university", "being made redundant", "an internship abroad"],
        "decoy": "a page boy at a wedding",
    },
    {
        "field": "language learning",
        "parts": [
            (
                [
                    "Pick ten new words every morning.",
                    "Write each one on a card with a picture on the back.",
                    "Test yourself again before bed.",
                ],
                "building vocabulary",
                None,
            ),
            (
                [
                    "Listen to a short clip and repeat it straight after.",
                    "Copy the rhythm and the rise and fall of the voice.",
                    "Record yourself and compare the two.",
                ],
                "improving pronunciation",
                None,
            ),
            (
                [
                    "Find a native speaker who wants to learn English.",
                    "Meet online for half an hour twice a week.",
                    "Spend half the time in each language.",
                ],
                "a conversation exchange partner",
                "meet a native speaker online",
            ),
        ],
        "absent": [
            "grammar drills in a textbook",
            "a translator at a conference",
            "subtitles on foreign films",
        ],
        "decoy": "a morning newspaper delivery",
    },
    {
        "field": "theatre",
        "parts": [
            (
                [
                    "Read your lines aloud until you can say them with your eyes shut.",
                    "Learn your partner's cues as well as your own.",
                    "Walk through each scene in the kitchen at home.",
                ],
                "memorising a script",
                None,
            ),
            (
                [
                    "The actors put on their costumes an hour before curtain.",
                    "Wigs and face paint go on under bright lights.",
                    "Everyone gathers for a warm up ten minutes before the start.",
                ],
                "backstage preparations for a show",
                None,
            ),
            (
                [
                    "The crowd stands and claps for a long time.",
                    "The cast bows together, then one by one.",
                    "Flowers are thrown onto the boards.",
                ],
                "the ovation at the finale",
                "the cast bows together",
            ),
        ],
        "absent": [
            "a puppet show for children",
            "an opera singer hitting a high note",
            "building scenery in a workshop",
        ],
        "decoy": "a kitchen sink full of dishes",
    },
    {
        "field": "stargazing",
        "parts": [
            (
                [
                    "Drive away from the city lights on a clear night.",
                    "Give your eyes twenty minutes to adjust to the dark.",
                    "Use a red torch so you keep your night vision.",
                ],
                "finding a good spot to observe the sky",
                None,
            ),
            (
                [
                    "Find the three bright stars in a row.",
                    "That is the belt of the hunter.",
                    "His shoulders and knees shine above and below.",
                ],
                "spotting the constellation Orion",
                None,
            ),
            (
                [
                    "Point the tube at the brightest dot low in the east.",
                    "Focus until you see four tiny moons beside it.",
                    "Their positions change from night to night.",
                ],
                "looking at Jupiter through a telescope",
                "four tiny moons beside the brightest dot",
            ),
        ],
        "absent": [
            "the aurora over snowy hills",
            "photographing the Milky Way",
            "a lunar eclipse turning copper",
        ],
        "decoy": "a belt buckle made of silver",
    },
    {
        "field": "scuba diving",
        "parts": [
            (
                [
                    "Open the valve on the tank all the way.",
                    "Breathe from the mouthpiece and watch the gauge.",
                    "Check your buddy's straps and weights.",
                ],
                "inspecting gear before a dive",
                None,
            ),
            (
                [
                    "Let the air out of your jacket and sink slowly.",
                    "Pinch your nose and blow gently to clear your ears.",
                    "Stop if your ears hurt and rise a little.",
                ],
                "equalising pressure during the descent",
                None,
            ),
            (
                [
                    "A turtle swam past the coral wall.",
                    "Bright yellow fish hid among the rocks.",
                    "We saw a small shark resting on the sand.",
                ],
                "marine life we met",
                "a turtle and a small shark",
            ),
        ],
        "absent": ["a decompression chamber", "a shipwreck on the seabed", "snorkelling in a lagoon"],
        "decoy": "a petrol tank on a motorbike",
    },
    {
        "field": "calligraphy",
        "parts": [
            (
                [
                    "Hold the pen at a steady angle of about forty five degrees.",
                    "Press harder on the down strokes and lighter going up.",
                    "Practise rows of the same letter until they match.",
                ],
                "basic drills for beautiful handwriting",
                None,
            ),
            (
                [
                    "Fill the nib by dipping it halfway into the ink.",
                    "Wipe the extra on the edge of the bottle.",
                    "Clean it with water when you finish so it does not rust.",
                ],
                "looking after your writing tools",
                None,
            ),
            (
                [
                    "Draw faint pencil guidelines across the card.",
                    "Sketch the whole phrase lightly before using ink.",
                    "Sign it small in the corner.",
                ],
                "designing a greeting with lettering",
                "draw faint pencil guidelines",
            ),
        ],
        "absent": ["a wax seal on an envelope", "Chinese brush painting", "a typewriter ribbon"],
        "decoy": "a pig pen on a farm",
    },
    {
        "field": "volunteering",
        "parts": [
            (
                [
                    "Sort the tins by date and put the oldest at the front.",
                    "Pack each bag with rice, pasta and a tin of soup.",
                    "Families collect them on Saturday morning.",
                ],
                "helping at a food bank",
                None,
            ),
            (
                [
                    "Wear gloves and carry a bin bag each.",
                    "Pick up bottles and wrappers along the shore.",
                    "Count what you find and report it to the council.",
                ],
                "a beach litter clean-up",
                None,
            ),
            (
                [
                    "Call an older neighbour who lives alone once a week.",
                    "Ask how they are and whether they need shopping.",
                    "Sometimes a short chat is the best part of their day.",
                ],
                "keeping lonely pensioners company",
                "call an older neighbour",
            ),
        ],
        "absent": ["planting trees in a park", "a charity fun run", "fostering kittens"],
        "decoy": "a tin roof in the rain",
    },
]
#: the talks the constants of ``vidgist.summarize.relevance`` were first fitted on are among the first
#: ``FITTED_TALKS`` (their even-numbered ones); the talks of ``ADDED_FIELDS`` come after, all held out,
#: then ``MORE_FIT_FIELDS`` (all fit) and ``MORE_HELD_FIELDS`` (all held out)
FITTED_TALKS = len(FIELDS)
#: the groups of ``FIELDS`` as (first index, count, half): a talk's "next field" (whose first two absent
#: queries it also asks) is the next talk of its own group, the last one wrapping to the group's first;
#: half "alternate" puts the even-numbered talks in the fit half and the odd-numbered ones in held-out
GROUPS: list[tuple[int, int, str]] = []
for _fields, _half in (
    (FIELDS, "alternate"),
    (ADDED_FIELDS, "held-out"),
    (MORE_FIT_FIELDS, "fit"),
    (MORE_HELD_FIELDS, "held-out"),
):
    GROUPS.append((sum(g[1] for g in GROUPS), len(_fields), _half))
FIELDS = FIELDS + ADDED_FIELDS + MORE_FIT_FIELDS + MORE_HELD_FIELDS
#: the section talks come last, a group of their own (even-numbered ones fit, odd-numbered held-out)
GROUPS.append((len(FIELDS), len(SECTION_TALKS), "alternate"))
#: the visual part of video i: (photo, query naming what it shows). ``skimage:NAME`` is
#: ``skimage/data/NAME``, ``mpl:NAME`` matplotlib's ``sample_data/NAME``
PHOTOS = [
    ("skimage:rocket.jpg", "a rocket on the launch pad"),
    ("skimage:coins.png", "a collection of old coins"),
    ("skimage:moon.png", "the cratered surface of the moon"),
    ("skimage:motorcycle_left.png", "a red motorbike parked indoors"),
    ("skimage:hubble_deep_field.jpg", "galaxies scattered across deep space"),
    ("skimage:chelsea.png", "a tabby cat looking at the camera"),
    ("skimage:grass.png", "a close-up of green grass"),
    ("skimage:camera.png", "a man with a camera on a tripod"),
    ("skimage:brick.png", "a red brick wall"),
    ("skimage:coffee.png", "a cup of coffee on a saucer"),
    ("skimage:astronaut.png", "an astronaut posing in a spacesuit"),
    ("skimage:retina.jpg", "a medical scan of the back of an eye"),
    ("mpl:grace_hopper.jpg", "an old woman in a navy uniform"),
    ("skimage:color.png", "a rainbow of colours"),
    ("skimage:gravel.png", "a patch of grey gravel"),
    ("skimage:ihc.png", "cells stained under a microscope"),
    ("skimage:horse.png", "the black silhouette of a horse"),
    ("skimage:chessboard_RGB.png", "a checked board of dark and light squares"),
    ("skimage:clock_motion.png", "a clock hanging on a wall"),
    ("skimage:cell.png", "one cell seen through a microscope"),
    ("skimage:microaneurysms.png", "a grey scan of tiny blood vessels"),
    ("skimage:phantom.png", "a test picture of a head scan"),
    ("mpl:Minduka_Present_Blue_Pack.png", "a wrapped present with a bow"),
    ("skimage:motorcycle_right.png", "a motorbike in a workshop"),
]
#: plain backgrounds of the spoken and captioned parts (RGB)
BACKGROUNDS = [(30, 42, 90), (90, 30, 40), (25, 80, 50), (70, 60, 20), (60, 30, 80), (40, 40, 40)]
#: espeak-ng voices, one per video in turn (the other spoken part is festival's kal_diphone); the talks of
#: ``MORE_FIT_FIELDS`` and ``MORE_HELD_FIELDS`` take ``MORE_ESPEAK_VOICES`` instead
ESPEAK_VOICES = ("en-us", "en-gb", "en-us+m3", "en-gb-x-rp")
MORE_ESPEAK_VOICES = ("en-gb-scotland", "en-us+f2", "en-029", "en-us-nyc")
ORDERS = [
    ("speech", "caption", "visual", "speech", "caption"),
    ("caption", "speech", "caption", "visual", "speech"),
    ("visual", "speech", "caption", "speech", "caption"),
    ("speech", "caption", "speech", "caption", "visual"),
]


#: per talk (same order as ``FIELDS``), one absent query that shares a content word with one of the talk's
#: lines but names something else (a word that means another thing in another field): the negatives on
#: which a match through the word overlap alone would show
DECOYS = (
    "slow motion replay",
    "a stock market index",
    "washing a window",
    "a water slide at a theme park",
    "a film score by an orchestra",
    "model train sets",
    "a childhood memory",
    "bunk beds for children",
    "a mountain rescue helicopter",
    "lottery winners",
    "a sand castle on the beach",
    "a bow and arrow",
    "an electric guitar solo",
    "a return flight to Paris",
    "the launch of a new phone model",
    "a remote control for the tv",
    "robbing a bank",
    "an old tv set",
    "a box of chocolates",
    "a yard sale",
    "a flash flood",
    "a pool table in a bar",
    "the queen's coronation",
    "a driving licence test",
    "a soft drink advert",
    "a wrist watch strap",
    "a gold chain necklace",
    "face powder for make-up",
    "a water tower on a hill",
    "a neighbour's barking dog",
    "a coffee table book",
    "a green tea ceremony",
    "a pine needle from a fir tree",
    "a box of matches",
    "a free concert in the park",
    "white water rafting",
    "a lemon tree in a pot",
    "a gas station at night",
    "a jacket potato with beans",
    "a photo booth at a fair",
)


def footage() -> list[tuple[str, float, float]]:
    """Footage taken from ../shared/videos: none (backgrounds are plain colours, visual parts photos)."""
    return []


def strings() -> list[str]:
    """Every sentence, caption and query of the set."""
    said = [s for f in FIELDS for pair in f["speech"] + f["caption"] for s in pair]
    absent = [q for f in FIELDS for q in f["absent"]]
    long = [s for m in LONG_MINUTES for p in long_spec(m)["parts"] for s in (p["say"], p.get("text", ""))]
    sections = [
        s
        for t in SECTION_TALKS
        for sentences, query, also in t["parts"]
        for s in [*sentences, query, also]
        if s
    ]
    sections += [q for t in SECTION_TALKS for q in [*t["absent"], t["decoy"]]]
    return said + absent + list(DECOYS) + [q for _, q in PHOTOS] + [s for s in long if s] + sections


def is_paraphrase(query: str, said: str) -> bool:
    """True when the query shares no content word with what is said or shown."""
    from vidgist.scorers.zero_shot import content_words

    return not content_words(query) & content_words(said)


def _group(i: int) -> tuple[int, int, str]:
    """The group (first index, count, half) of talk ``i`` (``GROUPS``)."""
    return next(g for g in GROUPS if g[0] <= i < g[0] + g[1])


def half_of(i: int) -> str:
    """ "fit" or "held-out" for talk ``i`` (module docstring)."""
    _, _, half = _group(i)
    if half == "alternate":
        return "fit" if i % 2 == 0 else "held-out"
    return half


def devset_spec() -> list[dict[str, Any]]:
    """The videos: parts (kind, query, span, what is said/shown, paraphrase or not) and absent queries."""
    videos = []
    more_voices = GROUPS[2][0]
    for i, f in enumerate(FIELDS):
        first, size, _ = _group(i)
        nxt = FIELDS[first + (i - first + 1) % size]
        speech, caption = list(f["speech"]), list(f["caption"])
        festival_first = i % 2 == 0
        voices = MORE_ESPEAK_VOICES if i >= more_voices else ESPEAK_VOICES
        parts = []
        for j, kind in enumerate(ORDERS[i % len(ORDERS)]):
            span = [j * PART_SECONDS, (j + 1) * PART_SECONDS]
            back = BACKGROUNDS[(i + j) % len(BACKGROUNDS)]
            if kind == "speech":
                said, query = speech.pop(0)
                voice = "festival" if (len(speech) == 1) == festival_first else voices[i % len(voices)]
                part = {"say": said, "voice": voice, "color": back}
            elif kind == "caption":
                said, query = caption.pop(0)
                part = {"text": said, "color": back}
            else:
                said, query = PHOTOS[i % len(PHOTOS)]
                part = {"photo": said}
            parts.append(
                {
                    "kind": kind,
                    "query": query,
                    "span": span,
                    "paraphrase": kind != "visual" and is_paraphrase(query, said),
                    **part,
                }
            )
        videos.append(
            {
                "name": f"talk{i:02d}-v{VERSION}.mp4",
                "field": f["field"],
                "split": half_of(i),
                "parts": parts,
                "absent": list(f["absent"]) + list(nxt["absent"][:2]),
                "decoys": [DECOYS[i]],
            }
        )
    return videos + [section_spec(len(FIELDS) + k) for k in range(len(SECTION_TALKS))]


def section_spec(i: int) -> dict[str, Any]:
    """Section talk ``i`` (``SECTION_TALKS[i - len(FIELDS)]``): spoken parts of several sentences, each read
    by one voice (festival and an espeak-ng voice alternating part by part), spans set when built."""
    first, size, _ = _group(i)
    t, nxt = SECTION_TALKS[i - first], SECTION_TALKS[(i - first + 1) % size]
    voices = ESPEAK_VOICES + MORE_ESPEAK_VOICES
    parts = []
    for j, (sentences, query, also) in enumerate(t["parts"]):
        said = " ".join(sentences)
        assert is_paraphrase(query, said) and (also is None or not is_paraphrase(also, said)), query
        voice = "festival" if (i + j) % 2 == 0 else voices[(i + j) % len(voices)]
        part = {"kind": "speech", "query": query, "span": None, "paraphrase": True}
        parts.append(part | {"say": said, "sentences": list(sentences), "voice": voice, "also": also})
    return {
        "name": f"section{i:02d}-v{VERSION}.mp4",
        "field": t["field"],
        "split": half_of(i),
        "section": True,
        "parts": parts,
        "absent": list(t["absent"]) + list(nxt["absent"][:2]),
        "decoys": [t["decoy"]],
    }


def photo_path(image: str) -> Path:
    """The file of ``skimage:NAME`` (scikit-image's bundled data) or ``mpl:NAME`` (matplotlib's)."""
    source, name = image.split(":", 1)
    if source == "skimage":
        import skimage

        return Path(skimage.__file__).parent / "data" / name
    import matplotlib

    return Path(matplotlib.get_data_path()) / "sample_data" / name


def _read_wav(path: Path) -> np.ndarray:
    """Mono float32 at SAMPLE_RATE from a 16-bit wav of any rate."""
    from scipy.signal import resample_poly

    with wave.open(str(path)) as w:
        rate, n, ch = w.getframerate(), w.getnframes(), w.getnchannels()
        x = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768.0
    x = x.reshape(-1, ch).mean(axis=1)
    return resample_poly(x, SAMPLE_RATE, rate).astype(np.float32) if rate != SAMPLE_RATE else x


def speak(text: str, voice: str, tmp: Path) -> np.ndarray:
    """``text`` read by festival (``voice == "festival"``), a CMU Flite voice (``"flite:slt"``) or espeak-ng
    voice ``voice``, at most
    ``PART_SECONDS - 0.6`` s long (sped up with sox's tempo when longer)."""
    wav, fitted = tmp / "say.wav", tmp / "fit.wav"
    if voice == "festival":
        (tmp / "say.txt").write_text(text)
        subprocess.run(["text2wave", "-o", str(wav), str(tmp / "say.txt")], check=True, capture_output=True)
    elif voice.startswith("flite:"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from flitevoice import flite_wav

        flite_wav(text, voice.split(":", 1)[1], wav)
    else:
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "160", "-w", str(wav), text], check=True, capture_output=True
        )
    x = _read_wav(wav)
    room = PART_SECONDS - 2 * SPEECH_AT
    if x.size > room * SAMPLE_RATE:
        tempo = x.size / (room * SAMPLE_RATE) * 1.02
        subprocess.run(
            ["sox", str(wav), str(fitted), "tempo", "-s", f"{tempo:.3f}"], check=True, capture_output=True
        )
        x = _read_wav(fitted)[: int(room * SAMPLE_RATE)]
    return x


def _caption_size(text: str) -> int:
    """Font size (px) at which ``text`` fits 90% of the frame width (DejaVu Sans Bold, about 0.68 em a
    character), at most 30."""
    return int(min(30, 0.9 * SIZE[0] / (0.68 * max(1, len(text)))))


def _part_input(part: dict[str, Any]) -> list[str]:
    """ffmpeg input arguments of one part's picture."""
    w, h = SIZE
    if "photo" in part:
        return [
            "-loop",
            "1",
            "-framerate",
            str(FPS),
            "-t",
            str(PART_SECONDS),
            "-i",
            str(photo_path(part["photo"])),
        ]
    r, g, b = part["color"]
    return ["-f", "lavfi", "-i", f"color=c=0x{r:02x}{g:02x}{b:02x}:s={w}x{h}:r={FPS}:d={PART_SECONDS}"]


def _filter(parts: list[dict[str, Any]]) -> str:
    """The filter graph: each picture fitted to the frame, captions drawn, parts concatenated."""
    from videogen import font_path

    w, h = SIZE
    chains = []
    for k, p in enumerate(parts):
        chain = (
            f"[{k}:v]scale={w}:{h}:force_original_aspect_ratio=decrease,"
            f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={FPS},format=yuv420p"
        )
        if "text" in p:
            safe = p["text"].replace(":", r"\:").replace("'", "")
            chain += (
                f",drawtext=fontfile='{font_path()}':text='{safe}':fontsize={_caption_size(p['text'])}:"
                "fontcolor=white:x=(w-tw)/2:y=(h-th)/2"
            )
        chains.append(chain + f"[v{k}]")
    return (
        ";".join(chains)
        + ";"
        + "".join(f"[v{k}]" for k in range(len(parts)))
        + f"concat=n={len(parts)}:v=1:a=0[v]"
    )


def make_talk(path: Path, parts: list[dict[str, Any]]) -> None:
    """Write one dev video: pictures, captions and the spoken sentences (module docstring)."""
    sys.path.insert(0, str(REPO / "tests"))
    n = int(round(PART_SECONDS * len(parts) * SAMPLE_RATE))
    audio = np.zeros(n, dtype=np.float32)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for k, p in enumerate(parts):
            if "say" in p:
                x = speak(p["say"], p["voice"], tmp)
                a = int((k * PART_SECONDS + SPEECH_AT) * SAMPLE_RATE)
                audio[a : a + x.size] = x[: n - a]
        with wave.open(str(tmp / "audio.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())
        cmd = [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-y"]
        for p in parts:
            cmd += _part_input(p)
        cmd += [
            "-i",
            str(tmp / "audio.wav"),
            "-filter_complex",
            _filter(parts),
            "-map",
            "[v]",
            "-map",
            f"{len(parts)}:a",
        ]
        cmd += [
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "26",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-shortest",
            str(path),
        ]
        subprocess.run(cmd, check=True)


#: silence (s) before a section talk's first sentence, between the sentences of a part, between parts
SECTION_LEAD, SENTENCE_GAP, SECTION_GAP = 0.5, 0.4, 1.5


def make_section_talk(
    path: Path, parts: list[dict[str, Any]], color: tuple[int, int, int]
) -> list[list[float]]:
    """Write one section talk (sentences read one after another, ``SENTENCE_GAP`` apart, parts
    ``SECTION_GAP`` apart, over one plain background); return each part's span (its first sentence's start
    to its last one's end)."""
    from scipy.io import wavfile

    pieces, pos, spans = [np.zeros(int(SECTION_LEAD * SAMPLE_RATE), np.float32)], SECTION_LEAD, []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for p in parts:
            start = pos
            for j, sentence in enumerate(p["sentences"]):
                x = speak(sentence, p["voice"], tmp)
                gap = SENTENCE_GAP if j + 1 < len(p["sentences"]) else SECTION_GAP
                pieces += [x, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
                pos += x.size / SAMPLE_RATE + int(gap * SAMPLE_RATE) / SAMPLE_RATE
            spans.append([round(start, 2), round(pos - SECTION_GAP, 2)])
        audio = np.concatenate(pieces)
        wavfile.write(tmp / "audio.wav", SAMPLE_RATE, (np.clip(audio, -1, 1) * 32767).astype(np.int16))
        r, g, b = color
        picture = f"color=c=0x{r:02x}{g:02x}{b:02x}:s={SIZE[0]}x{SIZE[1]}:r={FPS}:d={pos:.2f}"
        encode = "-c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p -c:a aac -b:a 64k -shortest"
        cmd = [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", picture]
        subprocess.run([*cmd, "-i", str(tmp / "audio.wav"), *encode.split(), str(path)], check=True)
    return spans


def tiled_spans(said: list[list[float]]) -> list[list[float]]:
    """Section parts' spans that tile the talk, from their said spans (first sentence's start to last
    sentence's end): each runs from the middle of the pause before it (the talk's start for the first) to
    the middle of the pause after it (the talk's end, ``SECTION_GAP`` after the last sentence, for the
    last), as the one-sentence talks' parts tile theirs."""
    cuts = [round((a[1] + b[0]) / 2, 2) for a, b in zip(said, said[1:], strict=False)]
    return [
        [lo, hi] for lo, hi in zip([0.0, *cuts], [*cuts, round(said[-1][1] + SECTION_GAP, 2)], strict=True)
    ]


def _make(path: Path, v: dict[str, Any], index: int) -> None:
    """Write video ``v`` to ``path`` (a section talk also writes its parts' spans beside it)."""
    tmp = path.with_suffix(".tmp.mp4")
    if v.get("section"):
        spans = make_section_talk(tmp, v["parts"], BACKGROUNDS[index % len(BACKGROUNDS)])
        path.with_suffix(".spans.json").write_text(json.dumps(spans))
    else:
        make_talk(tmp, v["parts"])
    tmp.replace(path)
    print(f"wrote {path}", file=sys.stderr)


def unseen_voices(spec: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``spec`` with every spoken part read by a CMU Flite voice instead (``flitevoice.FLITE_VOICES`` in
    turn, part by part), the same words, captions and pictures: a check on voices no constant was chosen
    with (build it into its own folder)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from flitevoice import flite_voice

    k = 0
    for v in spec:
        for p in v["parts"]:
            if p.get("voice"):
                p["voice"] = flite_voice(k)
                k += 1
    return spec


def build(out: Path, flite: bool = False) -> list[dict[str, Any]]:
    """Write the videos (those missing) and devset.json into ``out``; return the spec with paths (and the
    section talks' spans). ``flite``: every part spoken by a Flite voice (``unseen_voices``)."""
    out.mkdir(parents=True, exist_ok=True)
    spec = unseen_voices(devset_spec()) if flite else devset_spec()
    for index, v in enumerate(spec):
        path = out / v["name"]
        v["path"] = str(path)
        if not path.exists() or (v.get("section") and not path.with_suffix(".spans.json").exists()):
            _make(path, v, index)
        if v.get("section"):
            said = json.loads(path.with_suffix(".spans.json").read_text())
            for p, span, tiled in zip(v["parts"], said, tiled_spans(said), strict=True):
                p["said"], p["span"] = span, tiled
    (out / "devset.json").write_text(json.dumps(spec, indent=1))
    return spec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--long", action="store_true", help="also the 1-, 5- and 20-minute videos")
    args = ap.parse_args()
    build(args.out)
    if args.long:
        build_long(args.out)
    print(args.out / "devset.json")


if __name__ == "__main__":
    main()


# -- long videos: absent queries on 1, 5 and 20 minutes ------------------------------------------------

#: the long videos' narration: sentences made from these parts (seeded), one every LONG_PART seconds,
#: dropping any that shares a content word with an absent query of the set
SUBJECTS = [
    "The farmer",
    "My neighbour",
    "The young pilot",
    "A tourist",
    "The old sailor",
    "Our teacher",
    "The baker",
    "A student",
    "The mayor",
    "The photographer",
    "The nurse",
    "A cyclist",
]
VERBS = [
    "painted",
    "found",
    "carried",
    "described",
    "repaired",
    "measured",
    "ordered",
    "borrowed",
    "cleaned",
    "counted",
    "wrapped",
    "labelled",
]
OBJECTS = [
    "an old wooden chair",
    "seven blue envelopes",
    "a heavy iron gate",
    "the broken clock",
    "a basket of apples",
    "the faded map",
    "a pair of leather gloves",
    "the copper kettle",
    "twelve glass jars",
    "a yellow umbrella",
    "the tall bookshelf",
    "a box of buttons",
]
PLACES = [
    "near the harbour",
    "in the village hall",
    "behind the station",
    "at the town square",
    "on the third floor",
    "beside the old mill",
    "in the back garden",
    "under the bridge",
]
WHEN = [
    "on Monday",
    "last autumn",
    "before lunch",
    "after the storm",
    "early this morning",
    "late at night",
    "during the holiday",
    "yesterday afternoon",
]
LONG_CAPTIONS = ["PART {n}", "CHAPTER {n}", "NOTES {n}", "SECTION {n}"]
LONG_PART = 8.0
LONG_SIZE = (160, 90)
LONG_FPS = 2
LONG_MINUTES = (1, 5, 20)


def absent_queries() -> list[str]:
    """The absent queries of the first ``FITTED_TALKS`` talks, which the long videos' narration was made to
    avoid (none of them is named in any video, long ones included); the added talks' absent queries are
    not asked of the long videos, whose narration may say their words."""
    return sorted({q for v in devset_spec()[:FITTED_TALKS] for q in v["absent"]})


def long_sentences(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct narration sentences for a long video (see ``SUBJECTS``)."""
    from vidgist.scorers.zero_shot import content_words

    banned = set().union(*(content_words(q) for q in absent_queries()))
    rng = np.random.default_rng(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(PLACES)} {rng.choice(WHEN)}."
        )
        if s not in seen and not content_words(s) & banned:
            seen.add(s)
            out.append(s)
    return out


def long_spec(minutes: int) -> dict[str, Any]:
    """One long video: a sentence every LONG_PART seconds over plain backgrounds, a numbered caption
    every fourth part; its queries are all of ``absent_queries()``, split fit / held-out as their
    videos are."""
    n = int(minutes * 60 / LONG_PART)
    said = long_sentences(n, seed=minutes)
    parts = []
    for k in range(n):
        part: dict[str, Any] = {"say": said[k], "color": BACKGROUNDS[k % len(BACKGROUNDS)]}
        part["voice"] = "festival" if k % 2 else ESPEAK_VOICES[k % len(ESPEAK_VOICES)]
        if k % 4 == 2:
            part["text"] = LONG_CAPTIONS[k % len(LONG_CAPTIONS)].format(n=k // 4 + 1)
        parts.append(part)
    split = {q: v["split"] for v in devset_spec() for q in v["absent"]}
    return {
        "name": f"long{minutes:02d}min-v{VERSION}.mp4",
        "minutes": minutes,
        "parts": parts,
        "absent": [(q, split[q]) for q in absent_queries()],
    }


def make_long(path: Path, spec: dict[str, Any]) -> None:
    """Write a long video (PIL frames piped to ffmpeg at LONG_SIZE, LONG_FPS, with the narration)."""
    from PIL import Image, ImageDraw, ImageFont

    sys.path.insert(0, str(REPO / "tests"))
    from videogen import font_path

    w, h = LONG_SIZE
    parts = spec["parts"]
    n = int(round(LONG_PART * len(parts) * SAMPLE_RATE))
    audio = np.zeros(n, dtype=np.float32)
    font = ImageFont.truetype(font_path(), 14)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        frames = bytearray()
        for k, p in enumerate(parts):
            x = speak(p["say"], p["voice"], tmp)
            a = int((k * LONG_PART + SPEECH_AT) * SAMPLE_RATE)
            audio[a : a + x.size] = x[: n - a]
            img = Image.new("RGB", (w, h), tuple(p["color"]))
            if "text" in p:
                draw = ImageDraw.Draw(img)
                tw = draw.textlength(p["text"], font=font)
                draw.text(((w - tw) / 2, h / 2 - 8), p["text"], fill=(255, 255, 255), font=font)
            frames += img.tobytes() * int(LONG_PART * LONG_FPS)
        with wave.open(str(tmp / "audio.wav"), "wb") as wf:
            wf.setnchannels(1)
            wf.setsampwidth(2)
            wf.setframerate(SAMPLE_RATE)
            wf.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())
        cmd = [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24"]
        cmd += ["-s", f"{w}x{h}", "-r", str(LONG_FPS), "-i", "-", "-i", str(tmp / "audio.wav")]
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k"]
        subprocess.run([*cmd, "-shortest", str(path)], input=bytes(frames), check=True)


def build_long(
    out: Path, minutes: tuple[int, ...] = LONG_MINUTES, flite: bool = False
) -> list[dict[str, Any]]:
    """Write the long videos (those missing) into ``out``; return their specs with paths. ``flite``: spoken
    by Flite voices (``unseen_voices``)."""
    out.mkdir(parents=True, exist_ok=True)
    specs = []
    for m in minutes:
        spec = unseen_voices([long_spec(m)])[0] if flite else long_spec(m)
        path = out / spec["name"]
        spec["path"] = str(path)
        if not path.exists():
            tmp = path.with_suffix(".tmp.mp4")
            make_long(tmp, spec)
            tmp.replace(path)
            print(f"wrote {path}", file=sys.stderr)
        specs.append(spec)
    return specs
