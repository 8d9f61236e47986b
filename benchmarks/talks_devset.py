"""Development set of narrated talks without title cards: the topic changes only in what is said.

Twelve talks in ten domains, 3-14 sections of about 10 s to 3 minutes, spoken by espeak-ng (four voices)
and festival (the kal diphone voice), some with a short spoken intro or recap that names several topics and
is not a section of its own (the truth counts it in the first / last section). Pictures are generated
coloured shots cut every 4-12 s at times that ignore the sections (no footage from /work/shared/videos).
``tests/lecturegen.py`` (``TalkSpec``, ``cached_talk``) builds the videos; ``benchmarks/bench_generic.py``
measures them. ``FIT`` and ``HELD_OUT`` split the talks in halves (each with both synthesizers); constants
are chosen on ``FIT`` only.

Dev-set convention: ``footage()`` and ``strings()`` list what the set uses, so a test can check that it
shares nothing with the tests.
"""

from __future__ import annotations

from typing import Any

S = tuple[str, tuple[str, ...]]


def _sections(text: str) -> tuple[S, ...]:
    """Sections from ``# Title`` lines, each followed by its sentences, one per line."""
    out: list[tuple[str, list[str]]] = []
    for line in (x.strip() for x in text.strip().splitlines()):
        if line.startswith("# "):
            out.append((line[2:], []))
        elif line:
            out[-1][1].append(line)
    return tuple((title, tuple(sents)) for title, sents in out)


HOME_NETWORK = _sections(
    """
    # Router placement
    Put the router in the middle of your home, not in a cupboard by the front door.
    Thick walls, metal shelves and fish tanks all weaken the wireless signal.
    Raise the box off the floor, a high shelf in the hallway is usually best.
    # Wi-Fi passwords
    The password printed on the sticker is often easy to guess, so change it on day one.
    Pick a long passphrase of four random words rather than a short code with symbols.
    Use the newer WPA3 security mode if all of your devices support it.
    # Mesh systems
    In a large house one router cannot reach the attic and the garden shed.
    A mesh kit adds small satellite units that pass the signal from room to room.
    Place each satellite halfway between the main unit and the dead spot.
    # Ethernet cables
    For a desktop computer or a games console, a cable still beats wireless.
    A category six ethernet lead gives you full speed and a steady ping.
    Flat cables can run under a carpet without anyone tripping over them.
    # Guest network
    Visitors do not need access to your printer or your shared folders.
    Turn on the separate guest network and give friends that password instead.
    Smart plugs and cheap cameras belong on the guest side as well.
    # Firmware updates
    Router makers fix security holes through firmware releases.
    Log in to the admin page once a month and check the version number.
    Better still, switch on automatic updates during the night.
    """
)

FIRST_AID = _sections(
    """
    # Checking for danger
    Before you help anyone, stop and look around for traffic, fire or loose wires.
    You cannot help a casualty if you become a second casualty yourself.
    Call the emergency number early and put your phone on speaker.
    # Chest compressions
    If the person is not breathing, start pressing hard in the centre of the chest.
    Push down about five centimetres, one hundred to one hundred and twenty times a minute.
    Let the chest rise fully between pushes and do not stop until help arrives.
    A public defibrillator talks you through each step, so send someone to fetch it.
    # Severe bleeding
    Press firmly on the wound with a clean cloth or the palm of your hand.
    If blood soaks through, add another pad on top, do not lift the first one.
    Keep the injured arm or leg raised above the heart if you can.
    # Treating burns
    Cool a burn under cold running water for a full twenty minutes.
    Remove rings and watches before the skin starts to swell.
    Cover the area loosely with cling film and never pop the blisters.
    # Choking
    A person who is choking often cannot speak or cough.
    Give up to five sharp blows between the shoulder blades with the heel of your hand.
    If that fails, stand behind them and pull inwards and upwards above the belly button.
    """
)

BUDGET = _sections(
    """
    # Tracking expenses
    For one month, write down every single thing you spend money on.
    Most people are surprised by how much goes on coffee and taxis.
    A simple spreadsheet or a banking app with categories is enough.
    # Emergency fund
    Aim to keep three months of living costs in an easy access savings account.
    This cushion stops a broken boiler or a lost job from turning into debt.
    Build it slowly with an automatic transfer on payday.
    # Credit card debt
    Card interest can be more than twenty percent a year, so clear it first.
    Pay off the card with the highest rate while paying the minimum on the others.
    A balance transfer to a zero percent card buys you time, but read the fees.
    # Food shopping
    Plan your meals for the week before you go to the supermarket.
    Shop with a list and never shop when you are hungry.
    Supermarket own brands are often made in the same factories as famous ones.
    # Pension savings
    Join your employer's pension scheme, because they add money on top of yours.
    Small contributions in your twenties grow for decades thanks to compound returns.
    Check once a year which funds your pension is invested in.
    # Insurance
    Insure the things you could not afford to replace, like your home or your income.
    Skip the extended warranty on a toaster.
    Compare home and car cover every year instead of letting it renew automatically.
    # Subscriptions
    Streaming services, gym memberships and apps quietly add up every month.
    Go through your bank statement and cancel anything you have not used lately.
    """
)

PHOTOGRAPHY = _sections(
    """
    # Aperture
    The aperture is the opening in the lens that lets light reach the sensor.
    A wide aperture such as f two blurs the background behind a portrait.
    A narrow aperture like f eleven keeps a whole landscape sharp from front to back.
    # Shutter speed
    Shutter speed decides how long the sensor is exposed to light.
    A fast shutter of one thousandth of a second freezes a running dog.
    A slow shutter turns a waterfall into a soft silky blur, so bring a tripod.
    # ISO sensitivity
    Raising the ISO makes the sensor more sensitive in dim rooms.
    The price is grain and noise, especially in the dark parts of the picture.
    Keep it as low as you can and only raise it when the photo would otherwise shake.
    # Composition
    Imagine the frame divided into three rows and three columns.
    Place the horizon on one of the lines rather than straight through the middle.
    Leading lines like roads and fences pull the viewer's eye into the scene.
    # Golden hour light
    The hour after sunrise and before sunset gives warm, soft, low light.
    Shadows are long and faces glow instead of squinting.
    Midday sun is harsh, so look for open shade if you must shoot at noon.
    # Photo editing
    Shoot in raw format so that you can recover highlights later.
    Straighten the horizon, crop the edges and adjust the white balance first.
    Go easy on the saturation slider, the colours should still look real.
    """
)

DOG_TRAINING = _sections(
    """
    # House training
    Take your puppy outside after every meal, every nap and every game.
    Praise it the moment it goes in the right spot, not a minute later.
    Accidents indoors will happen, just clean them with an enzyme spray.
    # Lead walking
    A dog that pulls on the lead should learn that pulling gets it nowhere.
    Stand still whenever the lead goes tight and move on only when it slackens.
    Short sessions in a quiet street work better than a long walk in a busy park.
    # Recall
    Coming back when called is the command that keeps a dog safe.
    Practise in the garden first with a long line and a tasty treat.
    Never scold a dog that comes back to you, even if it took its time.
    # Chewing
    Young dogs chew because their teeth hurt and because they are bored.
    Give them rubber toys and swap them for the shoe they just stole.
    Keep cables and socks out of reach until the habit fades.
    # Socialisation
    Between eight and sixteen weeks a puppy learns what is normal in the world.
    Let it meet calm dogs, children, bicycles and the noise of a vacuum cleaner.
    A well socialised puppy grows into a relaxed and friendly adult.
    """
)

ROME = _sections(
    """
    # The Roman Republic
    For almost five hundred years Rome was governed not by kings but by elected officials.
    Every year the citizens chose two consuls, who shared the highest power in the state.
    The senate, a council of former magistrates, advised the consuls and controlled public money.
    Ordinary citizens met in assemblies where they voted on laws and on declarations of war.
    The plebeians fought a long struggle against the old patrician families for equal rights.
    Over time they won their own officials, the tribunes, who could block unfair decisions.
    The laws were written down on twelve bronze tablets and displayed in the forum.
    As Rome conquered Italy, allied cities received partial citizenship in return for soldiers.
    The wars against Carthage made the republic the master of the western Mediterranean.
    But the wealth of the new provinces flowed into the hands of a few rich families.
    Small farmers lost their land while serving in distant legions for years at a time.
    Reformers like the Gracchus brothers tried to share out public land and were murdered for it.
    Generals began to recruit armies that were loyal to them rather than to the state.
    # Julius Caesar
    Julius Caesar was born into an old but not very rich family around one hundred BC.
    He climbed the political ladder by spending huge borrowed sums on games for the people.
    He formed an alliance with Pompey and Crassus, the two most powerful men of the day.
    As governor he spent eight years conquering Gaul, the land that is now France and Belgium.
    His own accounts of these campaigns made him famous back in the city.
    When the senate ordered him to give up his army, he crossed the Rubicon river with his troops.
    The civil war that followed took him from Spain to Greece and to Egypt.
    In Egypt he sided with Cleopatra in her quarrel with her brother over the throne.
    Back in Rome he was named dictator, first for ten years and then for life.
    He reformed the calendar, giving us the year of three hundred and sixty five days.
    He settled veterans in colonies and granted citizenship to people in the provinces.
    Many senators feared that he wanted to make himself king.
    On the Ides of March, forty four BC, a group of them stabbed him to death in a meeting hall.
    Instead of restoring the old order, his murder started another round of civil wars.
    # The fall of the western empire
    Four centuries later the empire in the west was weaker than it looked.
    Emperors came and went quickly, many of them murdered by their own guards.
    Heavy taxes drove farmers from their land and cities shrank behind new walls.
    The empire was split in two, with a second capital at Constantinople in the east.
    Germanic peoples such as the Goths and the Vandals settled inside the borders.
    In four hundred and ten the Visigoths sacked Rome itself, a shock to the whole Mediterranean world.
    The Vandals took North Africa, the province that fed the city with grain.
    In four hundred and seventy six the last western emperor was removed by a Germanic general.
    The eastern half survived for another thousand years as the Byzantine empire.
    """
)

WEATHER = _sections(
    """
    # Clouds
    Clouds form when warm moist air rises and cools until water droplets condense.
    Fluffy cumulus clouds mean fair weather, flat grey stratus means drizzle.
    # Rain
    Raindrops grow when tiny cloud droplets bump into each other and merge.
    Most rain actually starts as snow high up and melts on the way down.
    # Thunderstorms
    A thunderstorm needs warm humid air near the ground and colder air above.
    Lightning heats the air to five times the temperature of the sun's surface.
    Count the seconds between the flash and the thunder to judge the distance.
    # Snowflakes
    Snow falls when the air is below freezing all the way from the cloud to the ground.
    Every snowflake is a hexagonal ice crystal that grows arms as it tumbles.
    # Wind
    Wind is air moving from high pressure towards low pressure.
    The spin of the earth bends it, which is why storms rotate.
    Sea breezes blow inland on sunny afternoons because the land warms faster.
    # Fog
    Fog is simply a cloud that touches the ground.
    It forms on clear still nights when the ground loses its heat to the sky.
    Drivers should dip their headlights, because full beam bounces back off the mist.
    # Forecasting
    Forecasters feed millions of measurements from balloons and satellites into computer models.
    A forecast for tomorrow is right most of the time, one for next week is a rough guide.
    # Hurricanes
    Hurricanes are born over tropical oceans warmer than twenty six degrees.
    The calm eye in the centre is surrounded by a wall of the strongest winds.
    They weaken quickly once they move over land and lose their supply of warm water.
    """
)

CHESS = _sections(
    """
    # The centre
    In the opening, try to control the four squares in the middle of the board.
    Pawns on e four and d four give your pieces room to move.
    A knight in the centre attacks eight squares, on the edge only four.
    # Developing pieces
    Bring out your knights and bishops before you move any piece twice.
    Do not rush out the queen, she will only be chased around by smaller pieces.
    Connect your rooks by clearing the back rank.
    # Castling
    Castling tucks the king into the corner and brings a rook towards the middle.
    You may not castle out of check or through a square that is attacked.
    Most strong players castle within the first ten moves.
    # Italian game
    After e four e five, knight f three, knight c six, the bishop goes to c four.
    The bishop aims straight at the weak f seven pawn next to the black king.
    It is one of the oldest openings and a good first choice for beginners.
    """
)

CAR_CARE = _sections(
    """
    # Engine oil
    Check the oil with the dipstick once a month while the engine is cold.
    The level should sit between the two marks, top it up if it is near the bottom.
    Black sludgy oil means a service is overdue.
    # Tyre pressure
    Under inflated tyres wear out faster and waste fuel.
    The right pressures are printed inside the driver's door or the fuel flap.
    Measure them cold, before a long drive, with a cheap gauge.
    # Car battery
    A battery that struggles to start the engine on cold mornings is close to the end.
    Short trips never give the alternator time to recharge it fully.
    Keep a set of jump leads or a small booster pack in the boot.
    # Windscreen wipers
    Worn wiper blades leave streaks just when you need a clear view.
    Replace the rubber blades every year, it takes two minutes.
    Fill the washer bottle with screen wash that will not freeze.
    # Car lights
    Walk around the car with the lights on once a week.
    A broken brake light is easy to miss and can earn you a fine.
    Ask a friend to stand behind the car while you press the pedal.
    # Coolant
    The coolant stops the engine from overheating in summer and freezing in winter.
    Never open the radiator cap while the engine is hot.
    """
)

MUSIC = _sections(
    """
    # Major scales
    A major scale climbs through eight notes in a pattern of whole and half steps.
    Play C to C on the white keys of a piano and you have heard one.
    It sounds bright and settled, which is why so many nursery songs use it.
    # Chords
    A chord is three or more notes played at the same time.
    The simplest chord, a triad, stacks the first, third and fifth notes of the scale.
    Major triads sound happy and minor triads sound sad to most listeners.
    # Rhythm and metre
    Rhythm is the pattern of long and short sounds in time.
    Most pop songs count four beats in each bar, a waltz counts three.
    Clap along with the drummer and you will feel where the strong beat falls.
    # Key signatures
    The sharps or flats at the start of each line tell you the key of the piece.
    One sharp means G major, one flat means F major.
    They save the composer from writing the same accidental again and again.
    # Writing a melody
    A good tune moves mostly in small steps with the occasional leap.
    Repeat a short idea, then change it slightly so the listener stays curious.
    End on the home note so the melody sounds finished.
    """
)

JAPAN = _sections(
    """
    # Rail pass
    A rail pass covers the bullet trains between the big cities.
    Work out your route first, because for a short trip single tickets can be cheaper.
    # Tokyo hotels
    Hotel rooms in Tokyo are tiny, so pack a small suitcase.
    Stay near a station on the Yamanote line to save time and money.
    # Sushi
    At a conveyor belt sushi bar the colour of each plate shows its price.
    Dip the fish side, not the rice, lightly in the soy sauce.
    # Kyoto temples
    Kyoto has more than a thousand Buddhist temples and shrines.
    Visit the golden pavilion early in the morning before the tour buses arrive.
    # Mount Fuji
    The climbing season for Mount Fuji runs only in July and August.
    Many hikers start at night to watch the sunrise from the summit.
    # Hot springs
    In a hot spring bath you wash thoroughly before stepping into the water.
    Swimsuits are not allowed and towels stay out of the pool.
    # Cherry blossom
    Cherry trees bloom for about a week, usually at the start of April.
    Families spread blue sheets in the parks for picnics under the flowers.
    # Convenience stores
    Convenience stores sell rice balls, hot meals and concert tickets around the clock.
    You can also pay bills and withdraw money at their cash machines.
    # Tipping
    Nobody expects a tip in Japan, and leaving one can cause confusion.
    Good service is simply part of the job, even in the fanciest restaurant.
    # Language
    Learn to say thank you and excuse me, people appreciate the effort.
    Translation apps can read menus through your phone camera.
    # Earthquakes
    Small earthquakes are common and buildings are designed to sway.
    If the ground shakes, take cover under a sturdy table.
    # Vending machines
    Vending machines stand on almost every street corner.
    They sell hot canned coffee in winter and cold green tea in summer.
    """
)

SOFTWARE_TESTING = _sections(
    """
    # Unit tests
    A unit test checks one small function in isolation and runs in milliseconds.
    Write it so that it fails for exactly one reason.
    # Integration tests
    Integration tests check that modules work together, for example your code and a real database.
    They are slower, so keep fewer of them and make each one count.
    # Code coverage
    Coverage tools report which lines your tests executed.
    High coverage does not prove the assertions are any good.
    Use the report to find untested branches, not as a target to game.
    # Flaky tests
    A flaky test passes and fails on the same code.
    Common causes are timing, shared state between tests and the order they run in.
    Quarantine it at once, because people soon learn to ignore red builds.
    # Test doubles
    A fake payment service lets you test checkout without charging a real card.
    Too many mocks make tests that pass while the real system is broken.
    # Continuous integration
    A build server runs the whole suite on every commit that is pushed.
    Keep the pipeline under ten minutes or developers stop waiting for it.
    # Code review
    A second pair of eyes catches problems that no automated check will.
    Review small changes often rather than a thousand lines on a Friday afternoon.
    """
)

BEEKEEPING = _sections(
    """
    # The hive
    A modern hive is a stack of wooden boxes with removable frames inside.
    Bees build their wax comb on the frames, so you can lift each one out to inspect it.
    # The queen
    Each colony has a single queen who lays up to two thousand eggs a day.
    A beekeeper marks her with a dot of paint to find her quickly.
    If she dies, the workers raise a new queen from a young larva.
    # Protective clothing
    Wear a veil and gloves, and move slowly and calmly around the hive.
    A puff of cool smoke at the entrance keeps the bees quiet while you work.
    # Honey harvest
    Take honey only from frames that are fully capped with wax.
    Slice off the caps and spin the frames in an extractor.
    Always leave enough stores for the colony to survive the winter.
    # Varroa mites
    The varroa mite is a tiny parasite that weakens bees and spreads viruses.
    Count the mites that fall onto a sticky board under the hive.
    Treat in late summer when the numbers climb.
    """
)

TALKS: tuple[dict[str, Any], ...] = (
    {
        "name": "home_network",
        "sections": HOME_NETWORK,
        "voice": "espeak:en-us",
        "intro": "Today we will fix your home internet, from passwords to cables and updates.",
        "seed": 101,
    },
    {
        "name": "first_aid",
        "sections": FIRST_AID,
        "voice": "festival",
        "recap": "So remember, check for danger, press on the chest, stop the bleeding, cool burns.",
        "seed": 102,
    },
    {"name": "household_budget", "sections": BUDGET, "voice": "espeak:en-gb", "seed": 103},
    {"name": "photography", "sections": PHOTOGRAPHY, "voice": "festival", "seed": 104},
    {
        "name": "dog_training",
        "sections": DOG_TRAINING,
        "voice": "espeak:en-gb-x-rp",
        "intro": "Welcome back, this week is all about puppies, leads, treats and chewed shoes.",
        "recap": "That was house training, the lead, recall, chewing and meeting the world.",
        "seed": 105,
    },
    {"name": "roman_history", "sections": ROME, "voice": "festival", "speed": 110, "seed": 106},
    {"name": "weather", "sections": WEATHER, "voice": "espeak:en-us+f3", "speed": 140, "seed": 107},
    {
        "name": "chess_openings",
        "sections": CHESS,
        "voice": "festival",
        "intro": "Here are four ideas that will improve your first ten moves.",
        "seed": 108,
    },
    {
        "name": "car_care",
        "sections": CAR_CARE,
        "voice": "espeak:en-gb-scotland",
        "speed": 140,
        "recap": "Oil, tyres, battery, wipers, lights and coolant, that is the monthly check.",
        "seed": 109,
    },
    {"name": "music_theory", "sections": MUSIC, "voice": "festival", "seed": 110},
    {"name": "japan_travel", "sections": JAPAN, "voice": "espeak:en-us", "speed": 135, "seed": 111},
    {
        "name": "software_testing",
        "sections": SOFTWARE_TESTING,
        "voice": "festival",
        "intro": "This talk walks through the kinds of tests a team needs and how to keep them healthy.",
        "seed": 112,
    },
    {"name": "beekeeping", "sections": BEEKEEPING, "voice": "espeak:en-gb", "speed": 150, "seed": 113},
)

#: the halves: constants are chosen on FIT only; HELD_OUT reports the figures the targets are judged on
FIT = ("home_network", "first_aid", "household_budget", "photography", "roman_history", "weather")
HELD_OUT = (
    "dog_training",
    "chess_openings",
    "car_care",
    "music_theory",
    "japan_travel",
    "software_testing",
    "beekeeping",
)


#: espeak-ng voices a regeneration rotates through (besides festival's kal diphone voice)
ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-us+f3", "en-gb-scotland")


def regenerated(k: int) -> tuple[dict[str, Any], ...]:
    """The talks of regeneration ``k`` (0: ``TALKS`` as written): the same text and halves, each talk
    spoken by another voice (a festival talk moves to an espeak-ng voice; an espeak-ng talk moves to
    festival every other talk, else to another espeak-ng voice) with other pauses and pictures (seed +
    1000 k), so the recogniser's errors and the timing differ."""
    if k == 0:
        return TALKS
    out = []
    for i, talk in enumerate(TALKS):
        others = [v for v in ESPEAK_VOICES if f"espeak:{v}" != talk["voice"]]
        if talk["voice"] != "festival" and (i // 2 + k) % 2 == 0:
            voice = "festival"
        else:
            voice = f"espeak:{others[(i + 2 * k) % len(others)]}"
        out.append({**talk, "voice": voice, "seed": talk["seed"] + 1000 * k})
    return tuple(out)


def footage() -> list[tuple[str, float, float]]:
    """Footage from /work/shared/videos the set uses: none (generated pictures only)."""
    return []


def strings() -> list[str]:
    """Every title and narration line of the set."""
    out: list[str] = []
    for talk in TALKS:
        out += [x for x in (talk.get("intro", ""), talk.get("recap", "")) if x]
        for title, sents in talk["sections"]:
            out.append(title)
            out += list(sents)
    return out
