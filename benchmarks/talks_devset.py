"""Development set of narrated talks without title cards: the topic changes only in what is said.

45 talks in two families. Tips within one theme (33 talks in 33 domains, from home networks and Roman
history to a cooking class, a podcast's topic list, a city walk, a product review, a wedding plan and a
laundry guide): a section's sentences rarely repeat a noun, so topic changes are subtle. Distinct topics
(``TOPIC_TALKS``, 12 talks, from family pets and board games to natural hazards and great explorers): each
section is about one concrete subject whose own nouns recur across its sentences, with no spoken heading
or "Part N" announcement, like the talks users record. Talks have 3-14 sections of about 10 s to 3
minutes (seven with sections of 50 s to 3 minutes, five with 4-5 sections of 30-60 s, sixteen with 6-14
sections of 10-20 s), spoken by espeak-ng (five voices) and festival (the kal diphone voice), some with a
short spoken intro or recap that names several topics and is not a section of its own (the truth counts
it in the first / last section). Pictures are generated coloured shots cut every 4-12 s at times that
ignore the sections (no footage from /work/shared/videos). ``tests/lecturegen.py`` (``TalkSpec``,
``cached_talk``) builds the videos; ``benchmarks/bench_generic.py`` measures them. ``FIT`` (26 talks) and
``HELD_OUT`` (19 talks) split the talks in halves (each with both synthesizers, long and short sections,
and six of the topic talks each; the last eight tips talks belong to ``FIT``, which holds most of the
tips talks of many short sections); constants are chosen on ``FIT`` only. ``FAMILIES`` names the talks
of each family. ``regenerated(k)`` speaks the same talks with other voices, pauses and pictures;
``unseen_voices()`` with CMU Flite voices; ``transitions()`` adds spoken transitions ("Next, ...") at most
section starts and step openers ("Now, ...") at some other sentences.

Dev-set convention: ``footage()`` and ``strings()`` list what the set uses, so a test can check that it
shares nothing with the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
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

VEGETABLE_GARDEN = _sections(
    """
    # Preparing the beds
    A vegetable bed needs at least six hours of direct sun on a summer day.
    Start in early spring by pulling out the weeds together with their long roots.
    Dig the ground one spade deep and break up the big clods as you go.
    Heavy clay soil sticks to your boots and stays cold until late in the season.
    Sandy soil warms up quickly but lets water and nutrients drain straight through.
    Both kinds improve when you spread a thick layer of garden compost on top.
    Worms pull the compost down into the ground and do most of the digging for you.
    Narrow beds that you can reach from a path are never trodden flat.
    Edge them with old boards so that the soil does not spill onto the path.
    # Sowing seeds
    Read the back of each seed packet, it tells you when and how deep to sow.
    Tiny seeds such as lettuce and carrots go only a finger nail deep.
    Big seeds like beans and squash can be pushed in up to the second knuckle.
    Draw a shallow drill with the corner of a hoe along a tight string line.
    Sprinkle the seeds thinly, because crowded seedlings grow weak and leggy.
    Cover them with fine crumbly soil and pat it down with the back of a rake.
    Tender crops like tomatoes and courgettes are started indoors on a sunny sill.
    Move those young plants outside only after the last frost has passed.
    Label every row, or in a month you will have forgotten what you sowed where.
    # Watering the crops
    Vegetables are mostly water, so a dry spell quickly shows in the harvest.
    Water in the early morning, when less of it evaporates in the heat.
    One deep soaking twice a week is better than a light sprinkle every evening.
    Deep watering sends the roots down to where the ground stays moist.
    Aim the can at the base of the plants and keep the leaves dry.
    Wet leaves overnight invite mildew and other fungal diseases.
    A layer of straw or grass clippings keeps the ground cool and slows evaporation.
    A rain barrel under the shed gutter collects hundreds of litres for free.
    # Slug control
    Slugs come out on damp nights and can flatten a row of seedlings by morning.
    Go out with a torch after dark and you will see how many there really are.
    Pick them off by hand and move them far away from the beds.
    A shallow dish of beer sunk into the ground lures them in and drowns them.
    Rough barriers of crushed eggshell or grit around young plants slow them down.
    Frogs, hedgehogs and thrushes all eat slugs, so make the garden welcome them.
    A small pond in one corner brings frogs within a single season.
    """
)

ROBOT_VACUUM = _sections(
    """
    # Unboxing
    The box holds the round robot, a charging dock, two side brushes and a spare filter.
    Everything is packed in recycled cardboard with almost no plastic at all.
    # Setting it up
    You plug in the dock against a wall with half a metre of free space on each side.
    The robot then needs about three hours on the dock before its first run.
    # Room mapping
    On the first run a laser on the roof maps every room of the flat.
    It took twelve minutes to draw a floor plan that was almost perfect.
    # Suction power
    On hard floors it picked up every grain of spilled sugar in a single pass.
    On the thick living room rug it needed the strongest of its four settings.
    # Pet hair
    Our cat sheds a lot and the rubber roller never tangled once in two weeks.
    The dust bin filled up fast though, so it had to be emptied every day.
    # Running time
    A full charge lasted about ninety minutes on the normal power setting.
    When the battery runs low it drives home, charges and then carries on where it stopped.
    # Noise level
    It is quiet enough to run while you watch television in the same room.
    On the strongest setting it sounds like an ordinary upright cleaner.
    # The phone app
    The app lets you draw no go zones around pet bowls and loose cables.
    You can also set a schedule so that it cleans while nobody is at home.
    # Verdict
    For the price this robot does a better job than models costing twice as much.
    Just do not expect it to climb stairs or clean the corners perfectly.
    """
)

COOKING_CLASS = _sections(
    """
    # Tomato sauce
    Warm a generous splash of olive oil and soften a chopped onion without browning it.
    Add two cloves of garlic, then a tin of plum tomatoes crushed with your hands.
    Let it bubble gently for twenty minutes and finish it with torn basil leaves.
    # Roasting vegetables
    Cut peppers, courgettes and red onions into chunks of roughly the same size.
    Toss them with oil, salt and a little dried thyme on a wide baking tray.
    Give them plenty of room in a hot oven so that they roast instead of steaming.
    # Pan-fried salmon
    Pat the salmon fillet completely dry with kitchen paper before it goes in the pan.
    Lay it skin side down in a hot pan and do not touch it for four minutes.
    Flip it for just one more minute so that the middle stays soft and pink.
    # Salad dressing
    A classic dressing is three parts oil to one part vinegar.
    Whisk in a spoonful of mustard and it will hold together instead of separating.
    Taste it on a lettuce leaf, not from the spoon, and adjust the salt.
    # Fresh pasta
    Make a well in a mound of flour and crack the eggs into the middle.
    Work the flour in with a fork, then knead for ten minutes until the ball is smooth and silky.
    Rest it under a bowl before rolling it out thinly and cutting ribbons.
    # Apple crumble
    Peel and slice cooking apples and cook them briefly with a little sugar and cinnamon.
    Rub cold butter into flour and sugar with your fingertips until it looks like sand.
    Scatter it over the fruit and bake until the top is golden and the juice bubbles at the edges.
    """
)

PODCAST = _sections(
    """
    # Listener questions
    Right, first up we have a pile of messages from you, thank you all for writing in.
    Sarah from Leeds asks whether we ever disagree when the microphones are off.
    Honestly, we argue about the running order of every single episode.
    And Tom wants to know what happened to the jingle we used in the first series, it is gone for good.
    # Electric scooters
    So the big story in town this week is the hire scooters that appeared on every corner.
    I tried one on Tuesday and it was great fun until the hill by the station.
    The trouble is that people leave them lying across the pavement.
    A blind neighbour of mine tripped over two of them on the same morning.
    The council says riders who park badly will be fined through the app.
    We will see whether that actually happens or whether it is just a promise.
    Meanwhile the taxi drivers are furious, because short trips were their bread and butter.
    Personally I think they are here to stay, but the rules have to catch up.
    A listener who works in the hospital says the injury numbers have gone up as well.
    # The reopened library
    On a happier note, the central library finally opened its doors again after the renovation.
    They kept the old reading room with the painted ceiling, which I was worried about.
    There is now a recording studio in the basement that anyone can book for free.
    # Book of the month
    Our book of the month is a detective novel set on a snowed in island.
    I read it in two nights and did not guess the culprit until the last chapter.
    My co-host found the middle far too slow, so you will have to judge for yourselves.
    # Sunday football
    Finally, the local team won away from home for the first time this season.
    Their young goalkeeper saved a penalty in the last minute of the match.
    If they win again next week they will climb out of the bottom three.
    """
)

WOODWORKING = _sections(
    """
    # Choosing timber
    Pine is cheap and soft, which makes it a forgiving wood for a first project.
    Oak and ash are much harder but they last for generations.
    Sight along each board at the timber yard and leave the twisted ones behind.
    # Measuring and marking
    Measure twice and cut once is still the best advice in the workshop.
    Mark lines with a sharp knife rather than a pencil, the line is finer.
    A combination square makes sure every line runs at exactly ninety degrees.
    # Using a hand saw
    Start the cut with a few gentle backward strokes to make a small groove.
    Let the weight of the saw do the work instead of forcing it down.
    Cut on the waste side of the line so that the piece stays the right length.
    # Glue and clamps
    Wood glue forms a joint that is stronger than the wood around it.
    Spread a thin even layer on both faces and clamp them with steady pressure.
    Wipe off the glue that squeezes out with a damp rag before it sets.
    # Sanding
    Work through the grades of sandpaper from coarse to fine.
    Always sand along the grain, because scratches across it show up under the finish.
    Wrap the paper around a cork block so that the edges stay crisp.
    # Oil finish
    A rubbed in oil brings out the pattern of the grain and is easy to repair.
    Apply a thin coat with a lint free cloth and wipe away the excess after ten minutes.
    Lay oily rags flat outside to dry, since a crumpled pile can catch fire by itself.
    """
)

LANGUAGE_LEARNING = _sections(
    """
    # Flash cards
    Flash cards with a word on one side and a picture on the other are the quickest way to build vocabulary.
    A spaced repetition app shows each card again just before you would forget it.
    Ten minutes every day beats two hours once a week.
    # Listening every day
    Your ear needs hours of real speech, not only the slow recordings from the textbook.
    Put on radio shows or podcasts in the new language while you cook or commute.
    At first it sounds like a stream of noise, but words start to stand out after a few weeks.
    # Finding a speaking partner
    Sooner or later you have to open your mouth and talk to a real person.
    Exchange websites pair you with someone who wants to learn your language in return.
    Spend half of each call in one language and half in the other.
    # Grammar
    Do not try to learn every tense before you say a single sentence.
    Pick up the patterns that come up most often and look up the rest when you need them.
    # Reading for pleasure
    Graded readers are short novels written with a limited vocabulary.
    Read for the story and only reach for the dictionary when a word keeps coming back.
    Comics work well too, since the pictures explain what the words leave out.
    # Staying motivated
    Set a goal you can picture, like ordering dinner on your next holiday without pointing.
    Keep a note of the small wins, the first joke you understood or the first phone call you made.
    """
)

STARGAZING = _sections(
    """
    # Observing the Moon
    The Moon is the easiest target in the night sky and it needs no equipment at all.
    Even so, a pair of ordinary binoculars turns it into a completely different world.
    Full moon is actually a poor night for it, aim for a few days either side.
    Then the sunlight strikes the surface at a low angle and every crater throws a long shadow.
    Follow the line between the lit and the dark half, which astronomers call the terminator.
    Mountain peaks catch the sunrise there while the valleys below are still in darkness.
    The dark grey patches are huge plains of old lava that early observers took for seas.
    Bright streaks fan out from young craters such as Tycho near the southern edge.
    Because the Moon always turns the same face towards us, the map never changes.
    Sketch what you see each night and you will learn the names within a month.
    # Finding the planets
    Planets wander slowly against the background stars from one week to the next.
    The simplest rule is that planets shine with a steady light while stars twinkle.
    Venus is the brilliant evening or morning star, brighter than anything but the Moon.
    It never strays far from the sun, so look low in the west after sunset.
    Jupiter is bright too and a small telescope shows its four largest moons in a row.
    Night after night those moons change places as they circle the giant planet.
    Saturn looks like a pale yellow star, until a telescope reveals its rings.
    Mars glows orange and is at its best every two years, when the earth overtakes it.
    A free planetarium app on your phone shows where each planet is tonight.
    Hold the phone up to the sky and the app will label whatever you point it at.
    # Choosing a telescope
    Many people buy a telescope too early and are disappointed by the first night.
    The most important number is not the magnification printed on the box.
    What matters is the aperture, the width of the main lens or mirror.
    A wider aperture collects more light and shows fainter and sharper detail.
    A reflector with a mirror of fifteen centimetres gives the most light for the money.
    Put it on a simple wooden mount that you push by hand, and it sets up in a minute.
    Computerised mounts find objects for you but need batteries and careful alignment.
    Avoid cheap models on wobbly tripods that promise enormous magnification.
    At high power the image shakes at every touch and becomes a dim blur.
    Whatever you choose, let it cool outside for half an hour before you observe.
    Join a local astronomy club and try a few telescopes before you spend anything.
    # Dark skies
    Street lights wash out all but the brightest stars over a town.
    Drive away from the city and the Milky Way appears as a pale band across the sky.
    Give your eyes twenty minutes to adapt to the dark before you judge the view.
    Use a red torch to read your charts, since white light undoes that adaptation at once.
    Check the forecast for clear skies and the Moon's phase, because moonlight hides faint galaxies.
    """
)

SLEEP = _sections(
    """
    # Sleep cycles
    A night of sleep is not one long even stretch but a series of cycles.
    Each cycle lasts roughly ninety minutes and most adults go through four to six of them.
    It starts with light sleep, when you can be woken by a quiet noise.
    Then comes deep sleep, when the body repairs muscles and the brain clears waste.
    Deep sleep is concentrated in the first half of the night.
    Each cycle ends with dreaming sleep, when the eyes move quickly under the lids.
    Dreaming periods grow longer towards the morning.
    Waking from deep sleep leaves you groggy, waking after a cycle feels much easier.
    That is why a short nap of twenty minutes can be more refreshing than a long one.
    Teenagers naturally fall asleep and wake up later than their parents.
    Older people sleep more lightly and wake more often during the night.
    # Caffeine and alcohol
    Caffeine blocks the chemical that builds up in the brain and makes us feel sleepy.
    Half of the caffeine from an afternoon coffee is still in your blood six hours later.
    Tea, cola and dark chocolate contain it too, in smaller amounts.
    Many people who say coffee does not affect them still sleep less deeply after it.
    Alcohol works the other way round, it makes falling asleep easier.
    But as the body breaks it down, sleep becomes broken and restless.
    A nightcap mainly steals dreaming sleep from the second half of the night.
    Try a week without coffee after lunch and see whether you notice a difference.
    # The bedroom
    The ideal bedroom is cool, dark and quiet.
    Most people sleep best at about eighteen degrees.
    Thick curtains or an eye mask block the early summer light.
    Earplugs or a fan that hums softly hide traffic and snoring.
    Keep the bed for sleep, so that your brain links it with resting.
    Screens in bed keep the mind busy and their light delays sleepiness.
    If you cannot fall asleep within half an hour, get up and read in dim light.
    Go back to bed only when you feel sleepy again.
    # Regular hours
    The body clock likes routine more than anything else.
    Getting up at the same time every day, even at weekends, sets it firmly.
    Bright daylight in the first hour after waking helps the clock to keep time.
    Lying in on Sunday morning is a small jet lag that makes Monday harder.
    """
)

HOME_WORKOUT = _sections(
    """
    # Warming up
    March on the spot and swing your arms in big circles for a couple of minutes.
    Your heart rate goes up gently and your joints get ready for harder work.
    # Squats
    Stand with your feet shoulder width apart and sit back as if onto a low chair.
    Keep your heels on the floor and your knees in line with your toes.
    # Press-ups
    Lower your chest towards the floor with your body in one straight line.
    If that is too hard, do them with your knees on a folded towel.
    # The plank
    Rest on your forearms and toes and hold your back flat like a table top.
    Start with twenty seconds and add five seconds every few days.
    # Lunges
    Take a long step forward and bend both knees until the back one nearly touches the floor.
    Push back to the start and switch to the other leg each time.
    # Skipping
    A skipping rope is the cheapest cardio machine there is and fits in a drawer.
    Land softly on the balls of your feet and keep the jumps small.
    # Stretching afterwards
    Finish with slow stretches for your thighs, calves and shoulders.
    Hold each stretch for half a minute and never bounce.
    # Rest days
    Muscles get stronger while you recover, not during the workout itself.
    Leave at least one easy day between hard sessions for the same muscles.
    # Eating for training
    Eat some protein at every meal, such as eggs, beans, fish or yoghurt.
    A banana an hour before training gives quick energy without feeling heavy.
    # Tracking progress
    Write down how many repetitions you managed in each session.
    Seeing the numbers rise over a few weeks is the best motivation there is.
    """
)

CITY_WALK = _sections(
    """
    # The harbour
    We start our walk down by the harbour, where the fishing boats unload at dawn.
    The lighthouse at the end of the pier was built from the stones of an old fort.
    # The fish market
    Just behind the quay is the covered fish market with its iron roof.
    Get there before nine to see the auction, when the catch is sold by the crate.
    The stall at the far end fries the morning's catch for a few coins.
    # The cathedral
    Now walk up the narrow lane and the cathedral fills the whole square in front of you.
    Building began more than eight hundred years ago and took almost two centuries.
    That is why the lower walls are round arched and heavy while the upper windows are tall and pointed.
    The west front is covered with carved saints, each one with a different face.
    Look for the stonemason who carved himself holding a hammer near the main door.
    Inside, the nave is so long that the far end seems to disappear in the gloom.
    The great rose window was smashed in a storm and put back together piece by piece.
    In the afternoon it throws coloured spots of light across the stone floor.
    Climb the tower's three hundred steps for the best view of the red roofs below.
    Entry is free, but a small donation helps with the endless repairs.
    # Merchant houses
    Along the canal stand the tall narrow houses of the old traders.
    Each has a hook under the gable for hoisting goods up to the attic storerooms.
    Houses were taxed on their width, which is why they are so thin and deep.
    # Castle hill
    A steep path leads up through the park to what is left of the castle.
    Only one tower and a stretch of wall survived the siege three hundred years ago.
    # Stone bridge
    The old stone bridge has carried traffic across the river since the middle ages.
    Small shops were once built along both sides of it.
    # Riverside cafes
    We finish on the riverside, where the cafes put their tables out under the lime trees.
    Order the local almond cake and watch the rowing boats go by.
    """
)

COFFEE = _sections(
    """
    # Fresh beans
    Coffee tastes best within a month of the date the beans were roasted.
    Buy whole beans in small bags and keep them in an airtight tin away from light.
    # Grinding
    Grind the beans just before brewing, because ground coffee goes stale within minutes.
    A burr grinder gives even particles, a blade grinder chops them into dust and boulders.
    Match the grind to the method, fine for espresso and coarse for a plunger.
    # Pour-over
    A paper filter in a cone gives a clean cup that shows off fruity beans.
    Pour a little water first and let the grounds bloom for half a minute.
    Then pour slowly in circles so that the whole bed stays evenly wet.
    # The French press
    Stir coarse grounds into hot water and put the lid on for four minutes.
    Press the plunger down slowly and pour the whole pot at once, or it turns bitter.
    # Espresso
    An espresso machine forces hot water through finely packed coffee under high pressure.
    A good shot runs for about twenty five seconds and ends with a thick golden crema.
    If it gushes out in ten seconds, grind finer, if it drips, grind coarser.
    # Steaming milk
    Start with cold milk in a cold jug and keep the steam wand just under the surface.
    You should hear a soft hiss, like tearing paper, as air is folded in.
    Stop when the jug is too hot to hold and tap it on the counter to burst big bubbles.
    """
)

BIRDWATCHING = _sections(
    """
    # Binoculars
    The first thing any bird watcher needs is a good pair of binoculars.
    Eight times magnification is steady enough to hold by hand and bright enough for woods.
    Try them at the shop, they should feel light around your neck after an hour.
    # A field guide
    A field guide with drawings helps more than one with photographs.
    The drawings show every bird in the same pose, so the differences jump out.
    # Garden feeders
    A feeder of sunflower hearts brings finches and tits within days.
    Hang it near a bush, where small birds can dash for cover from a hawk.
    Scrub the feeder every couple of weeks so that diseases do not spread.
    # Learning birdsong
    In spring you will hear far more birds than you can see.
    Learn one song at a time, starting with the common ones near your home.
    A recording app on your phone can suggest which bird is singing.
    # Wetland birds
    Lakes and marshes attract herons, ducks and wading birds with long bills.
    Most nature reserves have wooden hides where you can watch without disturbing them.
    Low tide on an estuary uncovers mud full of food for thousands of waders.
    # Keeping a notebook
    Write down the date, the place, the weather and every species you saw.
    Over the years the notebook shows when each bird arrives and leaves.
    # Migration
    Swallows fly all the way to southern Africa every autumn and return in April.
    On a clear night in October you can hear thrushes calling as they pass overhead.
    """
)

MOVING_HOUSE = _sections(
    """
    # Getting quotes
    Ask three removal firms to visit and price the job in writing.
    A quote over the phone often grows once the van turns up.
    # Decluttering first
    Every box you do not move saves money, so sell or give away what you never use.
    Old paint tins and broken chairs can go to the local tip.
    # Packing supplies
    Collect sturdy boxes from supermarkets and buy a roll of strong brown tape.
    Wrap plates on their edges in paper, never flat in a pile.
    # Labelling boxes
    Write the room and a short list of contents on two sides of each box.
    Then nobody has to guess where the kettle went.
    # Essentials bag
    Pack one bag with phone chargers, medicine, toilet roll and a change of clothes.
    Keep it in your car, not in the lorry.
    # Changing your address
    Tell your bank, your doctor and the electoral roll about the new address.
    A post redirection catches the letters you forget about.
    # Meter readings
    Photograph the gas and electricity meters on the morning you leave.
    Do the same at the new place so you only pay for what you use.
    # Moving day
    Stay behind until the last box is loaded and check every cupboard.
    Give the crew clear directions and a parking spot at the other end.
    # Pets and children
    A friend or a kennel can look after the dog for the day.
    Small children are happier away from the noise and the open doors.
    # Settling in
    Make the beds first, because you will be exhausted by the evening.
    Introduce yourself to the neighbours within the first week.
    """
)

CAMPING = _sections(
    """
    # Choosing a campsite
    Look for flat ground, a water tap nearby and shelter from the wind.
    Book early for summer weekends, the good pitches go by March.
    # Pitching the tent
    Practise putting the tent up in your garden before the trip.
    Face the door away from the wind and peg the corners out tight.
    # Sleeping warm
    The mat under you matters more than the sleeping bag on top.
    Wear a woolly hat to bed, even in August.
    # The camp kitchen
    A two burner gas stove cooks a proper breakfast in ten minutes.
    Bring a windshield, or the flame keeps blowing out.
    # Keeping food cool
    Freeze bottles of water and use them as ice packs in the cool box.
    Keep the box in the shade under the car.
    # Campfires
    Only light a fire where the site allows it, in a pit or a raised tray.
    Pour water over the ashes until they stop hissing.
    # Rainy days
    Pack cards, a paperback and a big tarp to sit under.
    A wet tent must be dried at home within two days or it grows mould.
    # Midges and ticks
    Midges love still damp evenings near water, so pick a breezy pitch.
    Check your legs for ticks every night and pull them out with a tick hook.
    # Camping with kids
    Give each child a torch and a small job, like fetching water.
    A scavenger hunt keeps them busy while you cook.
    # Leave no trace
    Take every scrap of rubbish home with you, including orange peel.
    Leave the pitch as if nobody had been there.
    # Packing list
    Write one list and keep it in the tent bag for next time.
    Tick things off as they go into the car.
    """
)

NEW_BABY = _sections(
    """
    # Feeding
    Newborns feed every two to three hours, day and night.
    Whether breast or bottle, watch the baby rather than the clock.
    # Nappies
    Expect up to ten wet or dirty nappies a day in the first weeks.
    Change them quickly and let the skin dry before the next one.
    # Safe sleep
    Put the baby to sleep on their back in their own cot.
    Keep pillows, bumpers and soft toys out of it.
    # Bath time
    Two or three baths a week are plenty for a tiny baby.
    Test the water with your elbow, it should feel warm, never hot.
    # Crying
    Crying peaks at around six weeks and then slowly settles.
    Rocking, a walk in the pram or a quiet dark room often helps.
    # Visitors
    Let friends visit in short slots, and ask them to wash their hands.
    Anyone with a cold should wait until they are well.
    # Getting some rest
    Sleep when the baby sleeps, the washing can wait.
    Take turns with your partner for the night feeds.
    # Health checks
    The midwife and the health visitor weigh the baby in the first weeks.
    Call the doctor at once if your baby has a fever under three months.
    # Car seats
    A rear facing car seat is the law for every journey, however short.
    Buy it new, because you cannot know whether a used one was in a crash.
    """
)

LAUNDRY = _sections(
    """
    # Reading care labels
    The little tub on the label shows the hottest wash the fabric can take.
    A hand in the tub means hand wash only.
    # Sorting the wash
    Split the pile into whites, darks and colours before anything goes in.
    One new red sock can turn a whole load of shirts pink.
    # Water temperature
    Most everyday clothes come out clean at thirty degrees.
    Towels and bed sheets need sixty to kill germs and dust mites.
    # How much detergent
    More powder does not mean cleaner clothes, it just leaves a grey film.
    Follow the dose on the box for your water hardness.
    # Grass and mud
    Let mud dry completely, then brush it off before washing.
    Rub grass stains with a little washing up liquid and leave them for an hour.
    # Red wine and coffee
    Blot the spill at once with kitchen paper, never rub it in.
    Rinse from the back of the fabric with cold water.
    # Wool jumpers
    Wash wool on the wool cycle or by hand in cool water.
    Dry it flat on a towel so it keeps its shape.
    # Drying outside
    A sunny line outdoors bleaches whites and costs nothing.
    Turn dark clothes inside out so they do not fade.
    # Tumble dryers
    Clean the lint filter after every single load.
    Take shirts out while they are still slightly damp to save on ironing.
    # Ironing
    Iron cotton while it is damp and silk on the lowest setting.
    Start with the collar and the cuffs, then do the body.
    # Folding and storing
    Fold jumpers instead of hanging them, hangers stretch the shoulders.
    Cedar blocks in the drawer keep moths away.
    # Cleaning the machine
    Run an empty hot wash once a month to stop the drum smelling.
    Wipe the rubber seal and leave the door open after each wash.
    """
)

JOB_INTERVIEW = _sections(
    """
    # Researching the company
    Read the company's website, its latest news and the job advert twice.
    Note two or three things you genuinely like about what they do.
    # Stories of your work
    Prepare short stories about problems you solved and what happened next.
    Each one should end with a result you can measure.
    # What to wear
    Dress one step smarter than the people who already work there.
    Lay the clothes out the night before and polish your shoes.
    # Arriving on time
    Plan the journey and aim to arrive ten minutes early.
    If a train is cancelled, phone ahead rather than rushing in late.
    # Body language
    Shake hands firmly, sit up straight and look at whoever is asking.
    Smile now and then, it makes you seem relaxed even when you are not.
    # Tricky questions
    When asked about a weakness, pick a real one and say how you are working on it.
    It is fine to pause and think before you answer.
    # Your own questions
    Always have two questions ready for the end of the interview.
    Ask what a good first year in the job would look like.
    # Following up
    Send a short thank you email the same afternoon.
    If you hear nothing after a week, a polite reminder is perfectly normal.
    """
)

WEDDING = _sections(
    """
    # Setting a budget
    Agree on a total figure before you look at a single venue.
    Families who contribute should say how much early on.
    # The guest list
    Write the list in three columns, must come, should come and would be nice.
    The number of guests drives almost every other cost.
    # Picking a date
    Saturdays in June are the most expensive days of the year.
    A Friday in October can cost half as much.
    # The venue
    Visit each venue at the same time of day as your ceremony.
    Ask whether they have a wet weather plan.
    # Photographer
    Look through whole albums, not just the best shots on their website.
    Book them as soon as you have the date.
    # Catering
    A buffet or sharing platters can cost less than a plated dinner.
    Ask for a tasting before you sign anything.
    # Music
    A band fills the dance floor, a playlist and a good speaker saves money.
    Give the person in charge a list of songs you never want to hear.
    # Invitations
    Send save the date cards six months ahead and invitations two months before.
    Include a clear reply date and a way to list food allergies.
    # The dress and the suit
    Order the dress at least six months ahead, alterations take weeks.
    Suits can be hired, but try them on a fortnight before the day.
    # Flowers
    Seasonal flowers are cheaper and look fresher than imported ones.
    Reuse the ceremony arrangements on the dinner tables.
    # The cake
    A small decorated cake for show and a plain sheet cake in the kitchen feeds everyone.
    Lemon and carrot are popular alternatives to fruit cake.
    # Seating plan
    Seat people with someone they already know at each table.
    Keep divorced relatives on different sides of the room.
    # Speeches
    Three speeches of five minutes each are plenty.
    Ask the speakers to avoid jokes only a few guests will understand.
    # On the day
    Hand a friend a list of suppliers with their phone numbers.
    Then switch off your own phone and enjoy it.
    """
)

AQUARIUM = _sections(
    """
    # Choosing a tank
    A beginner should start with a tank of at least sixty litres, not a little bowl.
    Larger volumes of water change temperature and chemistry more slowly, which forgives mistakes.
    Stand the tank on a sturdy cabinet that is built for the weight, because water is very heavy.
    Keep it away from a sunny window, where the light feeds green algae all afternoon.
    A tight lid stops jumpy fish from ending up on the carpet.
    Put a thin foam mat under the glass so that grit cannot crack the base.
    # Cycling the water
    New tanks need several weeks to grow the bacteria that break down fish waste.
    During that time you add a pinch of food each day but no fish at all.
    A test kit shows ammonia rising, then nitrite, and finally both dropping to zero.
    Only when the nitrate reading appears is the filter ready for its first residents.
    Rushing this step is the most common reason beginners lose their fish.
    Patience here saves a lot of heartache later.
    # Stocking the tank
    Add a few hardy fish first, for example a small group of zebra danios.
    Wait two weeks before adding the next group so the bacteria can catch up.
    Many popular fish live in shoals and need at least six of their own kind.
    Check that every species likes the same temperature and water hardness.
    Avoid mixing fin nippers with slow fish that have long flowing tails.
    A shop assistant who asks about your tank before selling you anything is a good sign.
    # Feeding the fish
    Feed only as much as the fish can finish in two minutes.
    Uneaten flakes rot on the bottom and poison the water.
    Once or twice a day is enough, and a fast day each week does no harm.
    Frozen bloodworms and brine shrimp make a welcome treat now and then.
    Going on holiday for a week, healthy adult fish manage without any food.
    A cheap automatic feeder often does more damage than good.
    # Weekly maintenance
    Every week, siphon out about a quarter of the water along with the muck in the gravel.
    Refill it with tap water treated with a dechlorinator and warmed to the same temperature.
    Rinse the filter sponge in the old tank water, never under the tap.
    Scrape algae off the front glass with a magnetic cleaner.
    Keep a notebook of test results so you notice slow changes.
    A quick look at every fish while you work catches illness early.
    """
)

ELECTRIC_CAR = _sections(
    """
    # Real driving range
    The range on the brochure is measured in mild weather at moderate speed.
    On a cold winter motorway expect perhaps two thirds of that figure.
    Heating the cabin uses a surprising amount of energy, so seat heaters help.
    Most daily journeys are short, and the average driver covers under thirty miles a day.
    For a long trip, planning one stop for a coffee and a charge is usually enough.
    Range anxiety tends to fade after the first few weeks of ownership.
    # Charging at home
    A wall box on the driveway charges the car overnight while you sleep.
    Many energy suppliers offer a cheap night tariff that makes a full charge cost very little.
    An electrician must check that your fuse board can handle the extra load.
    Without a driveway, a lamp post charger in your street may be an option.
    Ordinary three pin plugs work in an emergency but are very slow.
    Set the car to stop at eighty percent on normal days to look after the battery.
    # Public chargers
    Rapid chargers at motorway services can add a hundred miles in about twenty minutes.
    They are far more expensive per mile than charging at home.
    Several different apps and cards are needed because networks do not share payment.
    Check that the charger is working on the app before you leave the motorway.
    Be polite and move the car as soon as it has enough charge.
    Some supermarkets let you charge for free while you shop.
    # Running costs
    Electric cars have far fewer moving parts than petrol engines.
    There is no oil to change, no clutch to wear out and no exhaust to rust.
    Brake pads last much longer because the motor slows the car down.
    Tyres, however, can wear faster due to the extra weight.
    Insurance may cost a little more than for a similar petrol model.
    Over five years the total bill is often lower despite the higher price at the start.
    # Buying second hand
    Ask for a battery health report before you buy a used electric car.
    A battery that still holds ninety percent of its capacity is in good shape.
    Check that the charging cable is included, as replacements are pricey.
    Older models may not support the fastest public chargers.
    The battery warranty usually lasts eight years and may transfer to you.
    Take a long test drive to see how the range display behaves.
    """
)


FAMILY_PETS = _sections(
    """
    # Cats
    A cat sleeps for most of the day and hunts at dawn and dusk.
    Give your cat a scratching post, or the sofa will become one.
    Most cats prefer a quiet litter tray far away from their food bowl.
    # Rabbits
    Rabbits are social animals and are happier living in pairs.
    A rabbit needs a large run, not a small hutch at the end of the garden.
    Fresh hay should make up most of what your rabbits eat every day.
    # Guinea pigs
    Guinea pigs chatter and squeak when they hear the fridge door open.
    Unlike most pets, a guinea pig cannot make its own vitamin C.
    Offer your guinea pigs a slice of pepper or a few leaves of kale daily.
    # Hamsters
    Hamsters are awake at night, so a hamster suits an older child best.
    Keep one hamster per cage, because adults will fight over territory.
    A solid wheel without rungs lets your hamster run for miles each night.
    # Budgies
    Budgies are small parrots from the dry grasslands of Australia.
    A budgie kept alone needs a lot of company and chatter from you.
    Let your budgies fly around a closed room with the windows shut every day.
    # Tortoises
    A tortoise can outlive its owner, some reach eighty years or more.
    Tortoises need a heat lamp and an ultraviolet tube to stay healthy.
    Many tortoises sleep through the winter in a cool and frost free box.
    # Ferrets
    Ferrets are playful and curious and will steal your socks to hide them.
    A ferret sleeps up to eighteen hours, then plays wildly for an hour.
    Ferrets have a musky smell, so wash their bedding every week.
    """
)

HOME_REPAIRS = _sections(
    """
    # Dripping tap
    A dripping tap usually means the washer inside has worn out.
    Turn off the water under the sink before you take the tap apart.
    A new tap washer costs pennies and stops the drip in ten minutes.
    # Squeaky door
    A squeaky door is nearly always the fault of a dry hinge.
    Lift the hinge pin out, rub it with a little petroleum jelly, and tap it back.
    If the door still squeaks, a drop of light oil on each hinge will finish the job.
    # Blocked sink
    Grease and hair are what usually block a kitchen or bathroom sink.
    Try a plunger first, holding a damp cloth over the overflow hole of the sink.
    If the sink stays blocked, undo the plastic trap underneath and clean it out.
    # Cracked tiles
    A cracked tile lets water seep behind the wall and loosen its neighbours.
    Scrape out the grout around the broken tile and chisel it away from the centre.
    Butter the new tile with adhesive, press it in place and grout it the next day.
    # Wobbly shelf
    A wobbly shelf is often hung on plugs that are too small for the wall.
    Find out first whether the wall is brick or plasterboard behind the shelf.
    Cavity fixings hold a heavy bookshelf on a hollow wall without pulling out.
    # Draughty window
    A draughty window lets cold air in all winter and raises your heating bill.
    Hold a lit candle near the window frame and watch where the flame flickers.
    Self adhesive foam strip pressed around the frame seals most of those gaps.
    # Running toilet
    A toilet that keeps running can waste hundreds of litres a day.
    Lift the cistern lid and check whether the float is set too high.
    Often the rubber flap at the bottom of the cistern just needs replacing.
    # Peeling wallpaper
    Wallpaper peels at the seams where steam from a kettle or shower gets behind it.
    Brush a little border paste under the loose wallpaper edge with a small brush.
    Press it down with a damp sponge and wipe off any paste that squeezes out.
    """
)

BOARD_GAMES = _sections(
    """
    # Scrabble
    In Scrabble every letter tile carries a score printed in its corner.
    Keep the high scoring letters like Q and Z for the triple word squares.
    Learn the short Scrabble words with a Q but no U, such as qat and qi.
    # Monopoly
    Monopoly was sold as a board game in the nineteen thirties.
    The orange properties are landed on most, because players leave jail nearby.
    Build three houses on a set as fast as you can, that is where the rent jumps.
    # Catan
    In Catan you collect wood, brick, sheep, wheat and ore to build settlements.
    The numbers six and eight are rolled most often, so settle next to them.
    Trading with other players is the heart of Catan, so be generous early.
    # Jenga
    Jenga starts as a tower of fifty four wooden blocks.
    Tap a block gently with one finger to find the loose ones in the tower.
    The Jenga tower leans as it grows, so take blocks from the side it leans away from.
    # Cluedo
    Cluedo asks who killed the victim, with which weapon and in which room.
    Tick off every suspect, weapon and room on your detective notes as cards are shown.
    A good Cluedo player sometimes asks about a card they already hold, to mislead.
    # Dominoes
    A standard set of dominoes has twenty eight tiles, from double blank to double six.
    Players match the spots on the end of their domino to an open end of the line.
    Get rid of your heavy dominoes early, because spots left in hand count against you.
    """
)

OLYMPIC_SPORTS = _sections(
    """
    # Swimming
    Olympic swimming races are held in a fifty metre pool with eight lanes.
    Freestyle is the fastest stroke, and most swimmers choose the front crawl for it.
    The medley relay asks four swimmers to race backstroke, breaststroke, butterfly and freestyle.
    # Fencing
    Fencing has three weapons, the foil, the epee and the sabre.
    Each fencer wears a wired jacket so that touches light up on the scoreboard.
    In sabre you may hit with the edge of the blade as well as the point.
    # Archery
    Olympic archers shoot at a target seventy metres away.
    The gold ring in the middle of the target is smaller than a dinner plate.
    An archer draws the bow string back to the chin and holds it perfectly still.
    # Rowing
    Rowing crews race over two thousand metres on a straight stretch of water.
    In an eight the cox sits in the stern, steering and calling the stroke rate.
    A rower's power comes mostly from the legs, not from pulling with the arms.
    # Gymnastics
    Men and women compete on different apparatus in artistic gymnastics.
    The beam is only ten centimetres wide, yet gymnasts do somersaults on it.
    Judges score gymnastics routines for difficulty and for how cleanly they are performed.
    # Pole vault
    A pole vaulter sprints down the runway carrying a long fibreglass pole.
    The pole bends almost in half and then flings the vaulter upwards.
    The best pole vaulters clear a bar higher than a two storey house.
    # Curling
    Curling stones are made of granite and weigh almost twenty kilograms.
    Sweepers scrub the ice in front of the stone to make it travel further.
    Curling teams score for every stone closer to the centre of the house than the opponent's.
    # Judo
    Judo comes from Japan and means the gentle way.
    A judo player wins outright by throwing an opponent flat on the back.
    Judo players also score with holds and arm locks on the mat.
    """
)

FESTIVALS = _sections(
    """
    # Rio carnival
    Carnival in Rio de Janeiro fills the streets for five days before Lent.
    The samba schools parade through a huge stadium called the Sambadrome.
    Each carnival school spends a whole year building its floats and costumes.
    # Diwali
    Diwali is the festival of lights, celebrated by Hindus, Sikhs and Jains.
    Families light rows of small clay lamps along windows and doorsteps.
    Diwali nights are loud with fireworks and bright with patterns of coloured powder.
    # Lunar New Year
    The Lunar New Year begins with the first new moon of the Chinese calendar.
    Children receive red envelopes with money inside for good luck.
    Dragon and lion dances wind through the streets to scare away bad spirits.
    # Oktoberfest
    Oktoberfest in Munich actually starts in the middle of September.
    Millions of visitors sit at long benches in enormous festival tents.
    Many people at Oktoberfest wear lederhosen or a dirndl for the occasion.
    # Hogmanay
    Hogmanay is the Scottish celebration of the last night of the year.
    After midnight, the first visitor through the door should bring a lump of coal.
    Everyone links arms at Hogmanay and sings Auld Lang Syne.
    # Day of the Dead
    The Day of the Dead in Mexico welcomes the spirits of family members home.
    Families build altars with photographs, candles and orange marigolds.
    Painted sugar skulls are a cheerful symbol of the Day of the Dead.
    # Holi
    Holi marks the arrival of spring across India and Nepal.
    People chase each other through the streets throwing clouds of coloured powder.
    By the end of Holi everyone is pink, green and yellow from head to toe.
    """
)

RECYCLING = _sections(
    """
    # Paper and card
    Paper and card can be recycled five or six times before the fibres get too short.
    Flatten every cardboard box so the bin holds more.
    Greasy pizza boxes and used tissues cannot go in with the paper.
    # Glass jars
    Glass can be melted down and remade again and again without losing quality.
    Rinse your jars and bottles, but there is no need to peel off the labels.
    Drinking glasses and window glass melt differently, so keep them out of the bottle bank.
    # Plastics
    Look for the number inside the little triangle on the bottom of a plastic pot.
    Bottles and milk cartons made of plastic are the easiest to recycle.
    Soft plastic like crisp packets and film usually goes back to the supermarket instead.
    # Old batteries
    Batteries in the household bin can start fires in the rubbish lorry.
    Most supermarkets have a collection tube for used batteries near the exit.
    Tape over the ends of lithium batteries before you drop them in.
    # Food scraps
    Food waste in landfill rots and gives off methane, a strong greenhouse gas.
    A small caddy on the worktop makes it easy to collect peelings and leftovers.
    The council turns the food scraps into compost and into gas for electricity.
    # Old electronics
    An old phone contains gold, copper and rare metals worth recovering.
    Wipe your data and take the phone or laptop to an electronics collection point.
    Many shops must take back an old kettle or toaster when you buy a new one.
    # Clothes and shoes
    Clothes in good condition are best given to a charity shop.
    Worn out textiles can go to a clothing bank, where they are turned into rags and insulation.
    Tie shoes together in pairs so they do not get separated.
    """
)

CRAFTS = _sections(
    """
    # Knitting
    Knitting needs only two needles, a ball of wool and a little patience.
    Start with a chunky yarn and thick needles, because the stitches are easy to see.
    Casting on puts the first row of loops onto your needle.
    The knit stitch and the purl stitch are the only two you really need.
    A simple scarf in plain knit stitch is the classic first project.
    Count your stitches at the end of every row so mistakes do not creep in.
    # Pottery
    Pottery begins with a lump of wet clay and a pair of clean hands.
    Before you throw on a wheel, try making a pinch pot by pressing with your thumb.
    On the potter's wheel, the clay must sit dead centre or the pot will wobble.
    Keep your hands wet and your elbows braced against your knees.
    Pots dry slowly for a week before their first firing in the kiln.
    After that first firing you dip the pot in glaze and fire it again.
    # Watercolours
    Watercolour paint is transparent, so light colours go down first.
    Use heavy watercolour paper, or thin paper will buckle as it gets wet.
    A wash is a large area of thinned paint brushed on in long even strokes.
    Painting wet on wet lets colours bleed into each other softly, perfect for skies.
    You cannot paint white in watercolour, you leave the paper blank instead.
    Let each layer dry completely before you add the next one on top.
    # Calligraphy
    Calligraphy is the art of beautiful handwriting with a broad nib pen.
    Hold the pen at the same angle throughout, about forty five degrees.
    Thick strokes come from pulling the nib down, thin ones from moving sideways.
    Practise on lined paper with guide lines for the height of each letter.
    Start with the simple italic alphabet before trying gothic lettering.
    Fill whole pages with one letter until your hand learns the shape.
    # Origami
    Origami is the Japanese art of folding a single square of paper.
    No scissors and no glue are allowed in traditional origami.
    Thin and crisp origami paper holds a sharp crease far better than printer paper.
    The paper crane is the model every beginner wants to fold.
    Run your thumbnail along every fold to make it neat and flat.
    Diagrams use dashed lines for valley folds and dots and dashes for mountain folds.
    """
)

NATURAL_HAZARDS = _sections(
    """
    # Earthquake safety
    Earthquakes happen when two plates of the Earth's crust slip past each other.
    Most earthquakes strike along the edges of the Pacific, the so called ring of fire.
    The shaking is measured on the moment magnitude scale, where each step is much stronger.
    If you feel an earthquake indoors, drop to the floor and get under a sturdy table.
    Stay away from windows and tall furniture until the shaking stops.
    Expect aftershocks for hours or even days after a large earthquake.
    # Volcanoes
    A volcano forms where molten rock from deep underground reaches the surface.
    Some volcanoes ooze slow rivers of lava, others explode with ash and rock.
    Volcanic ash can travel thousands of kilometres and ground aeroplanes for days.
    Scientists watch a volcano for small tremors and for swelling of the ground.
    The soil around old volcanoes is very fertile, which is why farmers live there.
    People living near an active volcano should know their evacuation route.
    # Floods
    Floods are the most common natural disaster in the world.
    Rivers burst their banks after days of heavy rain or sudden snowmelt.
    Just thirty centimetres of moving floodwater can sweep a car off the road.
    Never walk or drive through floodwater, even if it looks shallow.
    Keep important papers and medicines in a waterproof bag on an upper floor.
    Floodwater is often dirty with sewage, so wash your hands after touching it.
    # Wildfires
    Wildfires spread fastest in hot, dry and windy weather.
    A single spark from a barbecue or a power line can start a wildfire.
    Embers blow far ahead of the flames and set roofs and gardens alight.
    Clear dry leaves and branches from around your house before fire season.
    If you are told to leave because of a wildfire, leave at once.
    After the fire, burnt hillsides can slide in the next heavy rain.
    """
)

INVENTIONS = _sections(
    """
    # The printing press
    Johannes Gutenberg built his printing press in Mainz around fourteen fifty.
    His press used movable metal letters that could be arranged and reused.
    Before the printing press, every book had to be copied out by hand.
    Within fifty years, millions of printed books were circulating across Europe.
    Cheap printed pamphlets spread new ideas faster than any ruler could ban them.
    # The steam engine
    The first steam engines pumped water out of deep coal mines.
    James Watt added a separate condenser and made the steam engine far more efficient.
    Steam engines soon drove mills, ships and railway locomotives.
    Factories no longer had to be built beside a river to get their power.
    Steam power changed where people lived and how they worked.
    # The telephone
    Alexander Graham Bell patented the telephone in eighteen seventy six.
    His first words on the telephone asked his assistant to come into the room.
    Early telephone calls went through operators who connected cables by hand.
    Within a few decades, telephone lines crossed whole continents.
    The first telephone cable under the Atlantic only opened in nineteen fifty six.
    # Penicillin
    Alexander Fleming noticed a mould killing the bacteria on a forgotten dish.
    That mould produced penicillin, the first true antibiotic.
    It took another ten years before penicillin could be made in large amounts.
    During the Second World War, penicillin saved thousands of wounded soldiers.
    Today doctors warn that overusing antibiotics makes bacteria resistant.
    # The internet
    The internet began as a network linking a few American universities.
    Messages were chopped into packets that could travel by different routes.
    The world wide web arrived in nineteen ninety one, from a lab in Geneva.
    Web pages linked to each other, so anyone could browse with a click.
    Now billions of people carry the internet in their pocket.
    """
)

EXPLORERS = _sections(
    """
    # Marco Polo
    Marco Polo was born in Venice into a family of merchants in twelve fifty four.
    His father and uncle had already travelled east to trade in silks and spices.
    When Marco was seventeen, he set off with them on the long road to China.
    The journey across deserts and mountains took them more than three years.
    They crossed Persia, the high Pamir mountains and the edge of the Gobi desert.
    In China, Marco Polo entered the service of Kublai Khan, the Mongol emperor.
    The Khan sent the young Venetian on missions to distant parts of his empire.
    Marco Polo marvelled at paper money, burning black stones and busy canal cities.
    After seventeen years the Polos sailed home, escorting a princess on the way.
    Back in Venice, Marco was captured in a sea battle and thrown into prison.
    In his cell he told his stories to a writer of romances, who wrote them down.
    The book of his travels became a best seller in medieval Europe.
    Some historians still doubt that Marco Polo saw everything he described.
    # Captain Cook
    James Cook was the son of a farm labourer from Yorkshire.
    He learned his seamanship on coal ships sailing along the English coast.
    Cook joined the Royal Navy and became a brilliant map maker in Canada.
    In seventeen sixty eight he sailed the Endeavour to Tahiti in the Pacific.
    The official purpose of the voyage was to watch Venus pass across the Sun.
    Cook also carried secret orders to search for a great southern continent.
    He charted the coasts of New Zealand in remarkable detail.
    Then he sailed on to the east coast of Australia and landed at Botany Bay.
    On his second voyage Cook crossed the Antarctic Circle, surrounded by ice.
    He kept his sailors free of scurvy with sauerkraut and fresh greens.
    His third voyage searched in vain for a passage round the north of America.
    In seventeen seventy nine, Cook was killed in a fight on a beach in Hawaii.
    His charts were so accurate that sailors used them for a century.
    # Roald Amundsen
    Roald Amundsen grew up in Norway dreaming of the frozen north.
    As a young man he skied across mountains in winter to harden himself.
    He learned from the Inuit how to drive dogs and dress in animal furs.
    Amundsen was the first to sail the whole Northwest Passage, in a small fishing boat.
    In nineteen ten he set out in secret for the South Pole.
    A British team led by Robert Falcon Scott was heading for the same goal.
    Amundsen's men travelled on skis, with teams of sledge dogs pulling the loads.
    They laid depots of food along the route before the polar winter set in.
    On the fourteenth of December nineteen eleven, they reached the pole.
    Amundsen left a tent with a letter for Scott, in case he did not return.
    Scott arrived five weeks later and his whole party died on the way back.
    Amundsen later flew over the North Pole in an airship.
    He disappeared in nineteen twenty eight while searching for a lost expedition.
    """
)

INSECTS = _sections(
    """
    # Ants
    Ants live in colonies that can hold millions of workers.
    At the heart of every colony is a queen, who lays all of the eggs.
    The workers are sisters, and each one has a job that changes as she ages.
    Young ants look after the larvae deep inside the nest.
    Older ants go outside to forage for food and defend the entrance.
    An ant that finds food lays down a scent trail on her way home.
    Other ants follow the trail, and the scent grows stronger with every trip.
    Some ants farm tiny greenflies and milk them for their sweet honeydew.
    Leafcutter ants carry pieces of leaf home to grow a fungus they eat.
    Army ants in the tropics build living bridges out of their own bodies.
    An ant can carry many times its own weight in its jaws.
    Ants have lived on Earth since the age of the dinosaurs.
    # Dragonflies
    Dragonflies are among the oldest flying insects on the planet.
    Their ancestors had wings as wide as a seagull's.
    A dragonfly spends most of its life underwater as a nymph.
    The nymph hunts tadpoles and small fish with a jaw that shoots forward.
    After a year or more it climbs up a reed and splits its skin.
    The adult dragonfly pumps blood into its crumpled wings until they harden.
    Each of its four wings can move on its own, so it can hover and fly backwards.
    Huge eyes cover almost the whole head and see in nearly every direction.
    A dragonfly catches most of the insects it chases, far better than a lion.
    Males guard a stretch of pond and chase away any rivals.
    You can tell a damselfly apart because it folds its wings when it rests.
    Clean ponds with plenty of reeds attract the most dragonflies.
    # Butterflies
    A butterfly starts life as a tiny egg on the underside of a leaf.
    Each kind of butterfly lays eggs only on the plants its caterpillars can eat.
    The caterpillar does nothing but eat and grow, shedding its skin several times.
    Then it hangs upside down and turns into a hard chrysalis.
    Inside the chrysalis, its body breaks down and rebuilds as a butterfly.
    When it emerges, the butterfly must dry its wings in the sun before flying.
    The colours on butterfly wings come from thousands of tiny overlapping scales.
    Butterflies taste with their feet, to check the leaf before laying eggs.
    They drink nectar through a long tongue that stays coiled up like a spring.
    Monarch butterflies fly thousands of kilometres from Canada to Mexico each autumn.
    No single monarch makes the round trip, it takes several generations.
    Planting buddleia and lavender brings butterflies into a town garden.
    # Beetles
    There are more kinds of beetle than of any other animal.
    Scientists have named about four hundred thousand species, and more are found every year.
    A beetle's front wings have turned into a hard shell called the elytra.
    The shell protects the delicate flying wings folded underneath.
    Ladybirds are beetles, and gardeners love them because they eat greenflies.
    A single ladybird can eat thousands of greenflies in its lifetime.
    Dung beetles roll balls of dung and bury them to feed their young.
    Some dung beetles steer by the light of the Milky Way at night.
    Stag beetle males wrestle with huge jaws that look like antlers.
    Their larvae spend up to seven years chewing rotten wood underground.
    Fireflies are beetles too, glowing to find a mate on summer nights.
    Leaving a pile of old logs in a corner gives beetles a place to live.
    """
)

MUSEUM_VISIT = _sections(
    """
    # Dinosaur hall
    The dinosaur hall is right by the main entrance, so it gets crowded by eleven.
    The big skeleton in the middle is a Diplodocus, almost twenty six metres long.
    Children can touch a real dinosaur bone at the desk beside its tail.
    # Meteorites
    Meteorites are lumps of rock and iron that fell to Earth from space.
    The largest meteorite here weighs as much as a small car.
    Some of these meteorites are older than any rock ever found on our planet.
    # Blue whale
    A blue whale skeleton hangs from the ceiling of the great hall.
    The blue whale is the largest animal that has ever lived.
    Its heart alone was as heavy as a piano and the size of a small car.
    # Gemstones
    The gemstones gallery is kept dim to make the crystals sparkle.
    Rubies and sapphires are the same mineral, only the colour differs.
    Look for the uncut diamond that still sits in its grey volcanic rock.
    # Ice age mammals
    During the last ice age, woolly mammoths roamed across northern Europe.
    The museum's mammoth was found frozen in the Siberian permafrost.
    Next to it stands a cave bear, far bigger than any bear alive today.
    # Egyptian mummies
    The mummies are upstairs, in a cool gallery with low light.
    Egyptian embalmers removed the organs and wrapped the body in linen bandages.
    Even cats and crocodiles were mummified as gifts for the gods.
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
    {
        "name": "vegetable_garden",
        "sections": VEGETABLE_GARDEN,
        "voice": "festival",
        "speed": 100,
        "seed": 114,
    },
    {
        "name": "robot_vacuum_review",
        "sections": ROBOT_VACUUM,
        "voice": "espeak:en-gb-scotland",
        "speed": 125,
        "seed": 115,
    },
    {
        "name": "cooking_class",
        "sections": COOKING_CLASS,
        "voice": "espeak:en-gb",
        "intro": "Tonight we cook a whole meal together, from a simple sauce to a warm pudding.",
        "seed": 116,
    },
    {
        "name": "podcast_episode",
        "sections": PODCAST,
        "voice": "festival",
        "intro": "Hello and welcome back, this week it is your letters, scooters, books and football.",
        "recap": "So that was your questions, the scooter chaos, the library, our book and the match.",
        "seed": 117,
    },
    {"name": "woodworking", "sections": WOODWORKING, "voice": "espeak:en-us+f3", "speed": 150, "seed": 118},
    {
        "name": "language_learning",
        "sections": LANGUAGE_LEARNING,
        "voice": "festival",
        "recap": "Cards, listening, a partner, a little grammar and plenty of reading, that is the method.",
        "seed": 119,
    },
    {
        "name": "stargazing",
        "sections": STARGAZING,
        "voice": "espeak:en-us",
        "speed": 110,
        "recap": "So begin with the Moon, hunt for planets, pick a telescope with care, escape the lights.",
        "seed": 120,
    },
    {
        "name": "sleep_science",
        "sections": SLEEP,
        "voice": "festival",
        "speed": 110,
        "seed": 121,
    },
    {
        "name": "home_workout",
        "sections": HOME_WORKOUT,
        "voice": "festival",
        "speed": 135,
        "seed": 122,
    },
    {
        "name": "city_walk",
        "sections": CITY_WALK,
        "voice": "espeak:en-gb-x-rp",
        "speed": 140,
        "intro": "This walk takes two hours and leads from the sea up to the castle and back to the river.",
        "seed": 123,
    },
    {
        "name": "coffee_brewing",
        "sections": COFFEE,
        "voice": "espeak:en-us",
        "speed": 150,
        "intro": "Here is how to make a better cup at home, from choosing the bean to pouring the milk.",
        "seed": 124,
    },
    {"name": "birdwatching", "sections": BIRDWATCHING, "voice": "festival", "speed": 140, "seed": 125},
    {
        "name": "moving_house",
        "sections": MOVING_HOUSE,
        "voice": "espeak:en-gb-x-rp",
        "speed": 125,
        "intro": "Moving is easier with a plan, from the first quote to the first night in the new place.",
        "seed": 126,
    },
    {
        "name": "camping_trip",
        "sections": CAMPING,
        "voice": "festival",
        "speed": 120,
        "recap": "A good pitch, a warm mat, a dry tarp and a bag for rubbish, and you are ready to go.",
        "seed": 127,
    },
    {"name": "new_baby", "sections": NEW_BABY, "voice": "espeak:en-us+f3", "speed": 125, "seed": 128},
    {
        "name": "laundry_day",
        "sections": LAUNDRY,
        "voice": "festival",
        "speed": 125,
        "intro": "Let us go through the washing, from the label and the stains to drying and ironing.",
        "seed": 129,
    },
    {
        "name": "job_interview",
        "sections": JOB_INTERVIEW,
        "voice": "espeak:en-gb-scotland",
        "speed": 120,
        "intro": "Getting the job starts long before you walk through the door, so here is how to prepare.",
        "recap": "Do your homework, tell good stories, arrive early and always ask something back.",
        "seed": 130,
    },
    {"name": "wedding_planning", "sections": WEDDING, "voice": "espeak:en-us", "speed": 130, "seed": 131},
    {
        "name": "aquarium_basics",
        "sections": AQUARIUM,
        "voice": "festival",
        "speed": 110,
        "seed": 132,
    },
    {
        "name": "electric_car",
        "sections": ELECTRIC_CAR,
        "voice": "espeak:en-gb",
        "speed": 115,
        "recap": "So trust the real range, charge at home at night and check the battery before you buy.",
        "seed": 133,
    },
    {
        "name": "family_pets",
        "sections": FAMILY_PETS,
        "voice": "festival",
        "speed": 125,
        "intro": "Thinking of a pet? We will meet cats, rabbits, budgies and even a tortoise today.",
        "seed": 201,
    },
    {
        "name": "home_repairs",
        "sections": HOME_REPAIRS,
        "voice": "espeak:en-gb-x-rp",
        "speed": 120,
        "seed": 202,
    },
    {"name": "board_games", "sections": BOARD_GAMES, "voice": "festival", "speed": 130, "seed": 203},
    {"name": "museum_visit", "sections": MUSEUM_VISIT, "voice": "espeak:en-us", "speed": 125, "seed": 204},
    {
        "name": "olympic_sports",
        "sections": OLYMPIC_SPORTS,
        "voice": "festival",
        "speed": 135,
        "recap": "We went from the pool and the fencing piste to the curling ice and the judo mat.",
        "seed": 205,
    },
    {
        "name": "world_festivals",
        "sections": FESTIVALS,
        "voice": "espeak:en-us+f3",
        "speed": 120,
        "seed": 206,
    },
    {"name": "recycling_guide", "sections": RECYCLING, "voice": "festival", "speed": 125, "seed": 207},
    {
        "name": "craft_hobbies",
        "sections": CRAFTS,
        "voice": "espeak:en-gb",
        "speed": 120,
        "intro": "Five quiet hobbies for long evenings, with wool, clay, paint, ink and paper.",
        "seed": 208,
    },
    {
        "name": "natural_hazards",
        "sections": NATURAL_HAZARDS,
        "voice": "festival",
        "speed": 115,
        "intro": "Shaking ground, exploding mountains, rising rivers and burning forests are our subject.",
        "recap": "Drop under a table, know your route, avoid floodwater and leave early when fire comes.",
        "seed": 209,
    },
    {
        "name": "inventions",
        "sections": INVENTIONS,
        "voice": "espeak:en-gb-x-rp",
        "speed": 130,
        "seed": 210,
    },
    {
        "name": "great_explorers",
        "sections": EXPLORERS,
        "voice": "festival",
        "speed": 115,
        "intro": "Three journeys, to the Mongol emperor's court, across the Pacific and to the South Pole.",
        "seed": 211,
    },
    {"name": "insects", "sections": INSECTS, "voice": "espeak:en-us", "speed": 120, "seed": 212},
)

#: the halves: constants are chosen on FIT only; HELD_OUT reports the figures the targets are judged on
FIT = (
    "home_network",
    "first_aid",
    "household_budget",
    "photography",
    "roman_history",
    "weather",
    "vegetable_garden",
    "robot_vacuum_review",
    "cooking_class",
    "podcast_episode",
    "woodworking",
    "language_learning",
    "moving_house",
    "camping_trip",
    "new_baby",
    "laundry_day",
    "job_interview",
    "wedding_planning",
    "aquarium_basics",
    "electric_car",
    "great_explorers",
    "craft_hobbies",
    "family_pets",
    "home_repairs",
    "board_games",
    "museum_visit",
)
HELD_OUT = (
    "dog_training",
    "chess_openings",
    "car_care",
    "music_theory",
    "japan_travel",
    "software_testing",
    "beekeeping",
    "stargazing",
    "sleep_science",
    "home_workout",
    "city_walk",
    "coffee_brewing",
    "birdwatching",
    "insects",
    "natural_hazards",
    "inventions",
    "olympic_sports",
    "world_festivals",
    "recycling_guide",
)

#: the second family: each section is one distinct concrete subject whose own nouns recur in its speech
TOPIC_TALKS = (
    "family_pets",
    "home_repairs",
    "board_games",
    "museum_visit",
    "olympic_sports",
    "world_festivals",
    "recycling_guide",
    "craft_hobbies",
    "natural_hazards",
    "inventions",
    "great_explorers",
    "insects",
)

#: the two families by name, for figures per family
FAMILIES = {
    "tips": tuple(t["name"] for t in TALKS if t["name"] not in TOPIC_TALKS),
    "topics": TOPIC_TALKS,
}


#: espeak-ng voices a regeneration rotates through (besides festival's kal diphone voice)
ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-us+f3", "en-gb-scotland")


def regenerated(k: int) -> tuple[dict[str, Any], ...]:
    """The talks of regeneration ``k`` (0: ``TALKS`` as written): the same text and halves, each talk
    spoken by another voice (a festival talk moves to an espeak-ng voice; an espeak-ng talk moves to
    festival every other talk, else to another espeak-ng voice) with other pauses and pictures (seed +
    1000 k), so the recogniser's errors and the timing differ. ``UNSEEN_VOICES`` gives ``unseen_voices()``."""
    if k == 0:
        return TALKS
    if k == UNSEEN_VOICES:
        return unseen_voices()
    if k == TRANSITIONS:
        return transitions()
    out = []
    for i, talk in enumerate(TALKS):
        others = [v for v in ESPEAK_VOICES if f"espeak:{v}" != talk["voice"]]
        if talk["voice"] != "festival" and (i // 2 + k) % 2 == 0:
            voice = "festival"
        else:
            voice = f"espeak:{others[(i + 2 * k) % len(others)]}"
        out.append({**talk, "voice": voice, "seed": talk["seed"] + 1000 * k})
    return tuple(out)


#: the regeneration number of the talks spoken only by CMU Flite voices (folder ``...-r{UNSEEN_VOICES}``)
UNSEEN_VOICES = 9


def unseen_voices() -> tuple[dict[str, Any], ...]:
    """The talks as written, each spoken by a CMU Flite voice (``flitevoice.FLITE_VOICES`` in turn) with
    other pauses and pictures (seed + 9000): a check on voices no constant of the product was chosen with."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from flitevoice import flite_voice

    return tuple(
        {**talk, "voice": flite_voice(i), "seed": talk["seed"] + 9000} for i, talk in enumerate(TALKS)
    )


#: the regeneration number of the talks with spoken transitions (folder ``...-r{TRANSITIONS}``)
TRANSITIONS = 8
#: what a section start may open with in ``transitions()`` (the last section's: ``LAST_TRANSITION``)
SECTION_TRANSITIONS = ("Next, ", "Now, ", "Moving on, ", "Another thing: ", "Okay, next, ", "Right, now, ")
LAST_TRANSITION = "Finally, "
#: what a sentence inside a section may open with in ``transitions()`` (a step, not a new topic)
STEP_OPENERS = ("Now, ", "Next, ")


def transitions(at_sections: float = 0.6, inside: float = 0.1) -> tuple[dict[str, Any], ...]:
    """The talks as written with regeneration 0's voices, other pauses and pictures (seed + 8000), and
    spoken transitions: each section start after the first opens with one of ``SECTION_TRANSITIONS`` with
    probability ``at_sections`` (the last section's with ``LAST_TRANSITION``), every other sentence with
    one of ``STEP_OPENERS`` with probability ``inside`` (seeded per talk). The truth is unchanged."""
    import random

    out = []
    for talk in TALKS:
        rng = random.Random(talk["seed"] + 8000)
        sections = []
        last = len(talk["sections"]) - 1
        for i, (title, sents) in enumerate(talk["sections"]):
            lines = []
            for j, line in enumerate(sents):
                if j == 0 and i > 0 and rng.random() < at_sections:
                    line = (LAST_TRANSITION if i == last else rng.choice(SECTION_TRANSITIONS)) + line
                elif (j > 0 or i == 0) and rng.random() < inside:
                    line = rng.choice(STEP_OPENERS) + line
                lines.append(line)
            sections.append((title, tuple(lines)))
        out.append({**talk, "sections": tuple(sections), "seed": talk["seed"] + 8000})
    return tuple(out)


def footage() -> list[tuple[str, float, float]]:
    """Footage from /work/shared/videos the set uses: none (generated pictures only)."""
    return []


def talk_strings(talks: Sequence[dict[str, Any]]) -> list[str]:
    """Every title, sentence, intro and recap of ``talks`` (dicts with ``sections`` of (title,
    sentences) and optional ``intro`` / ``recap``)."""
    out: list[str] = []
    for talk in talks:
        out += [x for x in (talk.get("intro", ""), talk.get("recap", "")) if x]
        for title, sents in talk["sections"]:
            out.append(title)
            out += list(sents)
    return out


def strings() -> list[str]:
    """Every title and narration line of the set."""
    return talk_strings(TALKS)
