"""Seeded everyday English sentences for the word-level language model.

Daily life, school, food, weather, travel, work and family, built from frames
whose slots take words that fit together (people eat food and read books, a
pair is a pair *of* something, a pear is a fruit), with tense, number and
pronouns kept in agreement.  Sentences such as "The apple and pear salad was
fresh." are common, "pair" only ever comes before "of", so a model trained on
them scores the notes' "The apple and pear salad" above "The apple and pair salad".

Words come mostly from the course vocabulary (``assets/vocab/course-10000.txt``);
tests measure the share.  Frames marked ``held_out`` produce only the ``test``
split; ``train`` and ``dev`` draw from the others with different random streams.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Person:
    """A subject: its words, its pronouns and how its verbs agree ("3s": he eats; "pl": they eat)."""

    text: str
    subject: str      # he / she / they / I / we / you
    object: str       # him / her / them / me / us / you
    possessive: str   # his / her / their / my / our / your
    agreement: str    # "3s", "pl", "1s"


def _people(pronouns: tuple[str, str, str, str], *texts: str) -> list[Person]:
    subject, obj, possessive, agreement = pronouns
    return [Person(t, subject, obj, possessive, agreement) for t in texts]


_HE = ("he", "him", "his", "3s")
_SHE = ("she", "her", "her", "3s")
_THEY = ("they", "them", "their", "pl")
PEOPLE: list[Person] = (
    _people(_SHE, "my mother", "my sister", "my aunt", "my grandmother", "my daughter", "our teacher",
            "the nurse", "my best friend", "Anna", "Emma", "Lucy", "Maria", "Sarah", "my neighbour", "Sophie", "Grace",
            "Hannah", "Olivia", "the librarian", "my niece", "the head teacher", "my girlfriend", "Aunt Jane",
            "the little girl", "my cousin", "the new teacher", "my wife", "the doctor", "Grandma")
    + _people(_HE, "my father", "my brother", "my uncle", "my grandfather", "my son", "the old man",
              "Tom", "David", "James", "Ben", "Sam", "the driver", "the waiter", "our coach", "my husband",
              "Jack", "Daniel", "Oliver", "Harry", "my nephew", "the shopkeeper", "my boyfriend", "Uncle Peter",
              "the farmer", "the little boy", "my boss", "the postman", "Grandpa")
    + _people(_THEY, "my parents", "the children", "my friends", "the students", "our neighbours",
              "the tourists", "my grandparents", "the workers", "the twins", "the players", "my classmates",
              "the nurses", "the visitors", "my cousins", "the boys", "the girls", "my colleagues",
              "the teachers")
    + [Person("I", "I", "me", "my", "1s"), Person("we", "we", "us", "our", "pl"),
       Person("you", "you", "you", "your", "pl"), Person("they", "they", "them", "their", "pl")]
)


@dataclass(frozen=True)
class Verb:
    base: str
    third: str   # he eats
    past: str    # he ate
    ing: str     # he is eating

    def form(self, tense: str, person: Person) -> str:
        """The verb phrase for a tense ("past", "present", "future", "progressive") and subject."""
        if tense == "past":
            return self.past
        if tense == "future":
            return f"will {self.base}"
        if tense == "progressive":
            be = {"3s": "is", "1s": "am"}.get(person.agreement, "are")
            return f"{be} {self.ing}"
        return self.third if person.agreement == "3s" else self.base


def _verb(base: str, third: str, past: str, ing: str) -> Verb:
    return Verb(base, third, past, ing)


FRUITS = ["apple", "pear", "banana", "orange", "peach", "plum", "cherry", "strawberry", "raspberry",
          "blueberry", "mango", "lemon", "lime", "grape", "apricot", "melon", "pineapple", "rhubarb",
          "blackberry", "fig", "kiwi", "coconut", "cranberry"]
FRUIT_DISHES = ["salad", "pie", "crumble", "tart", "cake", "juice", "jam", "smoothie", "pudding",
                "muffins", "yoghurt", "ice cream", "sauce", "sorbet"]
FOOD_ADJECTIVES = ["fresh", "delicious", "sweet", "sour", "warm", "cold", "tasty", "lovely", "too sweet",
                   "very good", "a bit dry", "still warm", "perfect", "homemade", "crunchy", "juicy"]
FOODS = ["an apple", "a pear", "a banana", "an orange", "a sandwich", "some soup", "a bowl of rice",
         "some pasta", "fresh bread", "a piece of cake", "two eggs", "some cheese", "a salad", "some noodles",
         "roast chicken", "grilled fish", "some vegetables", "a bowl of cereal", "toast with butter",
         "a slice of pizza", "a biscuit", "some strawberries", "a bunch of grapes", "a peach", "a plum",
         "a bowl of cherries", "a baked potato", "some chips", "a burger", "a bowl of porridge", "an omelette",
         "some rice and beans", "a cheese sandwich", "a chocolate bar", "a pear and a banana", "some carrots",
         "a bowl of soup", "a ham sandwich", "some salad", "a jacket potato", "a sausage roll", "a muffin",
         "a croissant", "some crisps", "a handful of nuts", "a bowl of pasta", "a slice of bread", "a pancake",
         "a bowl of fruit", "some grapes", "a lemon tart", "a baked apple", "some fried rice", "a kebab",
         "a tomato salad", "a piece of apple pie", "a bowl of strawberries", "some yoghurt", "a boiled egg"]
DRINKS = ["a cup of tea", "a glass of milk", "some coffee", "a glass of orange juice", "some water",
          "a hot chocolate", "a glass of lemonade", "a cup of coffee", "a glass of apple juice",
          "a cold drink", "a mug of tea", "a glass of water", "a bottle of water", "a milkshake"]
DISHES = ["dinner", "lunch", "breakfast", "soup", "a cake", "pancakes", "a salad", "a curry", "pasta",
          "a pie", "a roast", "a stew", "some biscuits", "a pizza", "an apple crumble", "a pear tart",
          "a fruit salad", "vegetable soup", "a birthday cake", "scrambled eggs", "fish and chips"]
READABLE = ["a book", "the newspaper", "a letter", "a magazine", "a story", "the instructions", "an email",
            "a novel", "the menu", "a comic", "the map", "a poem", "the report", "a recipe", "the timetable",
            "a text message", "the notice", "a chapter"]
WRITABLE = ["a letter", "an email", "a report", "a story", "a poem", "a shopping list", "a message", "an essay",
            "a note", "a postcard", "a card", "a diary entry", "a song", "a list of questions"]
BUYABLE = ["a new coat", "some bread", "a ticket", "a pair of shoes", "a pair of socks", "a pair of gloves",
           "some flowers", "a present", "some milk", "a newspaper", "a bike", "a pair of jeans", "a new phone",
           "a bag of apples", "some pears", "a pair of boots", "a lamp", "a birthday card", "some stamps",
           "a pair of sunglasses", "a map", "a train ticket", "a new bed", "some paint", "a pair of trainers",
           "a box of chocolates", "a kilo of potatoes", "a pair of scissors", "a new pair of glasses"]
VISITABLE = ["my grandparents", "the museum", "the zoo", "the library", "the market", "an old friend",
             "the castle", "the beach", "the park", "the farm", "the cathedral", "the gallery", "the old town",
             "the hospital", "the aquarium", "our cousins", "the garden centre", "the harbour"]
GAMES = ["football", "tennis", "the piano", "the guitar", "chess", "cards", "basketball", "the violin",
         "a board game", "volleyball", "cricket", "hide and seek", "the drums", "golf", "table tennis"]
WATCHABLE = ["a film", "the news", "television", "the match", "a play", "the birds", "the sunset",
             "a cartoon", "the race", "the fireworks", "a documentary", "the weather forecast", "the game"]
CLEANABLE = ["the kitchen", "the car", "the windows", "the floor", "the bathroom", "the house", "the garage",
             "my room", "the oven", "the fridge", "the table", "the stairs", "the shed"]
FIXABLE = ["the bike", "the door", "the roof", "the fence", "the light", "the tap", "the chair", "the radio",
           "the washing machine", "the gate", "the computer", "the clock", "the heater"]
SCHOOL_SUBJECTS = ["French", "maths", "history", "science", "English", "music", "geography", "chemistry",
                   "art", "biology", "physics", "Spanish", "German", "computer science", "economics"]
WEARABLE = ["a coat", "a hat", "a scarf", "a blue dress", "a pair of boots", "a warm jumper", "glasses",
            "a raincoat", "a pair of gloves", "a school uniform", "a suit", "a red shirt", "a pair of shorts",
            "a wool hat", "a pair of sandals"]
SMALL_ITEMS = ["the keys", "my phone", "the remote", "my glasses", "the tickets", "my wallet", "my umbrella",
               "the book", "my pencil case", "her purse", "the letter", "my passport", "his watch"]
ANIMALS = ["the cat", "the dog", "the ducks", "the chickens", "the horses", "the fish", "the rabbit",
           "the birds", "the goats", "the hamster"]
PLANTS = ["some roses", "a pear tree", "an apple tree", "tomatoes", "potatoes", "some herbs", "sunflowers",
          "a cherry tree", "carrots", "beans", "tulips", "a small oak tree", "some strawberries"]
PEOPLE_OBJECTS = ["my mother", "my friend", "the doctor", "our neighbours", "my grandmother", "the teacher",
                  "my brother", "an old friend", "my aunt", "the plumber", "my cousin", "the manager"]

# (verb, objects it takes)
VERB_OBJECTS: list[tuple[Verb, list[str]]] = [
    (_verb("eat", "eats", "ate", "eating"), FOODS),
    (_verb("drink", "drinks", "drank", "drinking"), DRINKS),
    (_verb("cook", "cooks", "cooked", "cooking"), DISHES),
    (_verb("make", "makes", "made", "making"), DISHES),
    (_verb("read", "reads", "read", "reading"), READABLE),
    (_verb("write", "writes", "wrote", "writing"), WRITABLE),
    (_verb("buy", "buys", "bought", "buying"), BUYABLE),
    (_verb("visit", "visits", "visited", "visiting"), VISITABLE),
    (_verb("play", "plays", "played", "playing"), GAMES),
    (_verb("watch", "watches", "watched", "watching"), WATCHABLE),
    (_verb("clean", "cleans", "cleaned", "cleaning"), CLEANABLE),
    (_verb("fix", "fixes", "fixed", "fixing"), FIXABLE),
    (_verb("repair", "repairs", "repaired", "repairing"), FIXABLE),
    (_verb("study", "studies", "studied", "studying"), SCHOOL_SUBJECTS),
    (_verb("learn", "learns", "learned", "learning"), SCHOOL_SUBJECTS),
    (_verb("wear", "wears", "wore", "wearing"), WEARABLE),
    (_verb("order", "orders", "ordered", "ordering"), FOODS + DRINKS),
    (_verb("share", "shares", "shared", "sharing"), FOODS),
    (_verb("lose", "loses", "lost", "losing"), SMALL_ITEMS),
    (_verb("find", "finds", "found", "finding"), SMALL_ITEMS),
    (_verb("feed", "feeds", "fed", "feeding"), ANIMALS),
    (_verb("plant", "plants", "planted", "planting"), PLANTS),
    (_verb("call", "calls", "called", "calling"), PEOPLE_OBJECTS),
    (_verb("help", "helps", "helped", "helping"), PEOPLE_OBJECTS),
    (_verb("meet", "meets", "met", "meeting"), PEOPLE_OBJECTS),
    (_verb("bake", "bakes", "baked", "baking"), ["a cake", "bread", "some biscuits", "a pear tart",
                                                 "an apple pie", "muffins", "a loaf of bread", "scones"]),
    (_verb("paint", "paints", "painted", "painting"), ["the fence", "the kitchen", "a picture", "the door",
                                                       "the walls", "a portrait", "the bedroom"]),
    (_verb("borrow", "borrows", "borrowed", "borrowing"), ["a book", "some money", "a pen", "the car",
                                                           "a ladder", "an umbrella", "a bike"]),
    (_verb("sell", "sells", "sold", "selling"), ["the car", "old books", "the house", "fresh eggs",
                                                 "vegetables", "a bike", "homemade jam"]),
    (_verb("carry", "carries", "carried", "carrying"), ["a heavy bag", "a box", "an umbrella", "the shopping",
                                                        "a basket of pears", "the baby", "two suitcases"]),
]

TIMES = {
    "past": ["yesterday", "last night", "last week", "on Monday", "this morning", "last summer", "two days ago",
             "after school", "on Saturday morning", "at the weekend", "after lunch", "last year",
             "before dinner", "in the afternoon", "on Sunday", "after work", "an hour ago", "last Friday"],
    "present": ["every day", "every morning", "on Sundays", "after school", "at the weekend", "every evening",
                "before breakfast", "twice a week", "on Fridays", "every summer", "after work",
                "in the morning", "once a month", "every afternoon"],
    "future": ["tomorrow", "next week", "on Monday", "tonight", "next summer", "after lunch", "at the weekend",
               "on Friday", "later today", "next month", "in the morning", "soon", "next year"],
    "progressive": ["now", "right now", "at the moment", "this afternoon", "today", "this week"],
}
PLACES = ["school", "work", "the shop", "the market", "the park", "the station", "the library", "the cinema",
          "the beach", "the doctor", "bed", "the gym", "church", "the office", "the hospital", "the airport",
          "town", "the bank", "the post office", "the swimming pool", "the supermarket", "the dentist",
          "the bakery", "the city centre", "the bus stop", "the museum", "the farm", "university"]
TRANSPORT = ["by bus", "by train", "by car", "by bike", "on foot", "by taxi", "by plane", "by boat",
             "on the tram", "on the underground"]
CITIES = ["London", "Paris", "Rome", "Madrid", "Berlin", "Dublin", "Edinburgh", "Manchester", "New York",
          "Glasgow", "Bristol", "Liverpool", "Barcelona", "Venice", "Brussels", "Copenhagen", "Stockholm",
          "Toronto", "Chicago", "Cairo", "Delhi", "Nairobi", "Lagos",
          "Tokyo", "Lisbon", "Vienna", "Prague", "Amsterdam", "Athens", "Oslo", "Cardiff", "Boston", "Sydney"]
COUNTRIES = ["Spain", "France", "Italy", "Greece", "Portugal", "Scotland", "Ireland", "Japan", "Canada",
             "Germany", "Norway", "Wales", "Mexico", "Turkey", "Croatia", "Iceland"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEATHER_ADJECTIVES = ["sunny", "cold", "warm", "windy", "cloudy", "wet", "hot", "foggy", "freezing", "mild",
                      "stormy", "bright", "grey", "dry", "humid", "chilly", "icy"]
WEATHER_VERBS = {"past": ["rained", "snowed", "poured"], "future": ["will rain", "will snow"],
                 "present": ["rains", "snows"]}
FEELINGS = ["tired", "hungry", "happy", "thirsty", "cold", "bored", "excited", "nervous", "sleepy", "sad",
            "cross", "proud", "worried", "relieved", "busy", "late", "sick", "calm", "cheerful", "upset"]
ACTIVITIES = ["reading", "swimming", "cooking", "walking", "painting", "dancing", "singing", "running",
              "gardening", "drawing", "cycling", "fishing", "baking", "knitting", "skating", "writing stories", "sewing", "hiking",
              "sailing", "skiing", "playing the piano", "riding horses", "going to museums", "shopping",
              "bird watching", "playing football", "visiting friends", "cooking for friends", "reading comics",
              "playing chess", "watching films", "listening to music", "going to the cinema", "camping",
              "climbing trees", "doing puzzles", "taking photos", "learning languages"]
JOBS = [("a nurse", "a hospital"), ("a teacher", "a school"), ("a chef", "a restaurant"),
        ("a cashier", "a supermarket"), ("a lawyer", "an office"), ("a dentist", "a small practice"),
        ("a pilot", "an airline"), ("a builder", "a building site"), ("a journalist", "a newspaper"),
        ("an accountant", "a bank"), ("a hairdresser", "a salon"), ("a vet", "an animal hospital"),
        ("a shop assistant", "a bookshop"), ("a cook", "a school kitchen"), ("a guard", "a museum"),
        ("a secretary", "a law firm"), ("a painter", "a theatre"), ("a manager", "a hotel"),
        ("a librarian", "the library"), ("a mechanic", "a garage"), ("a baker", "a bakery"),
        ("a waiter", "a café"), ("a farmer", "a farm"), ("a cleaner", "an office"), ("a doctor", "a clinic"),
        ("a driver", "a bus company"), ("an engineer", "a factory"), ("a receptionist", "a hotel"),
        ("a gardener", "the park"), ("a scientist", "a laboratory"), ("a pharmacist", "a chemist")]
ROOMS = ["kitchen", "living room", "bedroom", "bathroom", "garden", "hall", "garage", "classroom", "office",
         "attic", "cellar", "dining room"]
LOCATIONS = ["on the kitchen table", "in the drawer", "under the bed", "next to the door", "in my bag",
             "on the shelf", "behind the sofa", "in the car", "on the floor", "by the window",
             "in the cupboard", "in his coat pocket", "on the desk", "in the fridge", "under the chair"]
COUNTABLE = [("apple", "apples"), ("pear", "pears"), ("book", "books"), ("cup", "cups"), ("chair", "chairs"),
             ("plate", "plates"), ("pen", "pens"), ("orange", "oranges"), ("egg", "eggs"), ("box", "boxes"),
             ("bottle", "bottles"), ("candle", "candles"), ("glass", "glasses"), ("picture", "pictures"),
             ("banana", "bananas"), ("cushion", "cushions"), ("plant", "plants"), ("toy", "toys")]
CONTAINERS = ["the bowl", "the basket", "the box", "the cupboard", "the fridge", "the bag", "the drawer",
              "the kitchen", "the room", "the garden", "the car", "the classroom"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve", "a few", "some", "many"]
PAIR_OF = ["shoes", "socks", "gloves", "jeans", "boots", "trousers", "sunglasses", "scissors", "trainers",
           "earrings", "glasses", "slippers", "shorts", "tights"]
SIZE_ADJECTIVES = ["big", "small", "old", "new", "tall", "little", "beautiful", "large", "tiny", "lovely",
                   "quiet", "busy", "famous", "pretty", "modern", "huge"]
CLOCK = ["seven o'clock", "eight o'clock", "nine o'clock", "half past six", "six o'clock", "ten o'clock",
         "noon", "midnight", "half past eight", "five o'clock", "quarter past nine", "eleven o'clock"]



HOUSEHOLD = ["lamp", "sofa", "mirror", "blanket", "kettle", "towel", "pillow", "basket", "ladder", "hammer",
             "bucket", "clock", "rug", "curtain", "jug", "teapot", "vase", "cupboard", "desk", "bookcase",
             "fridge", "oven", "toaster", "candle", "umbrella", "suitcase", "radio", "camera", "computer",
             "printer", "bicycle", "wardrobe", "armchair", "carpet", "drawer", "frying pan", "saucepan",
             "cushion", "doormat", "bin", "key", "torch", "calendar", "painting", "photograph", "plant pot",
             "watering can", "sewing machine", "washing machine", "dishwasher", "microwave", "fan", "heater"]
COLOURS = ["red", "blue", "green", "yellow", "black", "white", "brown", "grey", "pink", "purple", "orange",
           "dark blue", "light green", "silver", "golden"]
ANIMAL_NOUNS = ["dog", "cat", "horse", "cow", "sheep", "pig", "duck", "goose", "rabbit", "mouse", "fox",
                "owl", "squirrel", "deer", "frog", "hedgehog", "robin", "seagull", "swan", "goat", "donkey",
                "bee", "butterfly", "spider", "snake", "tortoise", "parrot", "kitten", "puppy", "lamb", "bear",
                "wolf", "eagle", "crow", "pigeon"]
ANIMAL_ACTIONS = ["slept", "sat", "ran", "hid", "played", "waited", "was lying", "was sleeping", "appeared",
                  "was hiding", "was sitting", "stood"]
ANIMAL_PLACES = ["under the table", "in the garden", "on the roof", "by the river", "near the gate",
                 "behind the shed", "in the field", "on the wall", "in the kitchen", "under the bridge",
                 "in the woods", "next to the pond", "on the sofa", "by the fire", "in the barn"]
TOPICS = ["history", "space", "dinosaurs", "cooking", "the ocean", "football", "the weather", "birds",
          "ancient Rome", "the human body", "trains", "volcanoes", "music", "gardening", "the moon", "castles",
          "famous artists", "wild animals", "the first world war", "climate change", "mountains", "inventions",
          "healthy food", "the solar system", "Japan", "medicine", "pirates", "insects", "money", "the brain"]
GIFTS = ["a book", "a scarf", "a watch", "a bunch of flowers", "a box of chocolates", "a new bike",
         "a pair of gloves", "a cookbook", "a puzzle", "a teddy bear", "a bottle of wine", "a plant",
         "a necklace", "a football", "a pair of earrings", "a photo album", "a painting", "a cake"]
OCCASIONS = ["for her birthday", "for his birthday", "for Christmas", "for their anniversary",
             "for Mother's Day", "as a thank you", "for passing the exam", "for the new house", "for no reason"]
VEHICLES = ["bus", "train", "plane", "ferry", "taxi", "tram", "coach", "flight", "car"]
VEHICLE_STATES = ["late", "early", "full", "empty", "cancelled", "on time", "very crowded", "quiet", "delayed",
                  "cold", "comfortable", "fast", "slow", "noisy"]
NEWS = ["the shop on the corner is closing", "the school will be closed on Friday", "the bridge is open again",
        "it will snow tomorrow", "the match was cancelled", "the new library opens next week",
        "the bus is going to be late", "the museum is free on Sundays", "the baker has a new recipe",
        "the train station is being painted", "the road will be closed all week", "the river is very high",
        "the concert starts at eight", "the price of bread has gone up", "the park has a new playground"]


VEGETABLES = ["potatoes", "carrots", "onions", "tomatoes", "mushrooms", "peppers", "courgettes", "leeks",
              "cabbage", "beans", "peas", "spinach", "garlic", "lettuce", "cucumbers", "broccoli", "cauliflower",
              "sweet potatoes", "parsnips", "beetroot", "celery", "aubergines", "pumpkins", "radishes", "apples",
              "pears", "lemons", "peaches", "plums"]
KITCHEN_VERBS = ["chopped", "peeled", "washed", "sliced", "boiled", "fried", "roasted", "grated", "mashed",
                 "cut up", "cooked", "steamed", "dried", "weighed", "picked"]
ILLNESSES = [("a cold", "stayed in bed"), ("a sore throat", "drank hot lemon and honey"),
             ("a headache", "took some medicine"), ("a broken arm", "went to the hospital"),
             ("a fever", "called the doctor"), ("toothache", "went to the dentist"),
             ("a bad cough", "stayed at home"), ("a stomach ache", "did not eat anything"),
             ("a sprained ankle", "used crutches for a week"), ("the flu", "slept all afternoon"),
             ("a rash", "bought some cream at the chemist"), ("an earache", "saw the nurse")]
TEAMS = ["Our team", "The home team", "The school team", "The visitors", "The girls' team", "My brother's team",
         "The local club", "The youth team", "The national team"]
COMPETITIONS = ["match", "game", "final", "cup", "race", "tournament", "championship", "semi-final", "quiz"]
SCORES = ["by two goals", "on penalties", "in the last minute", "easily", "three nil", "after extra time",
          "for the first time", "again", "by one point"]
PRICES = ["ten pounds", "five dollars", "twenty euros", "a lot of money", "almost nothing", "fifty pence",
          "two hundred pounds", "thirty dollars", "more than I expected", "less than last year", "a fortune"]
BUILDINGS = ["bank", "post office", "library", "church", "cinema", "supermarket", "hotel", "museum", "school",
             "hospital", "police station", "fire station", "bakery", "pharmacy", "town hall", "theatre",
             "petrol station", "swimming pool", "sports centre", "bookshop", "train station", "car park",
             "playground", "shopping centre", "stadium", "market", "restaurant", "café", "bridge", "castle"]
POSITIONS = ["next to", "opposite", "behind", "near", "in front of", "across the road from", "around the corner from",
             "between the park and", "far from", "close to"]
DEVICES = ["phone", "laptop", "tablet", "headphones", "charger", "camera", "watch", "computer", "printer",
           "keyboard", "television", "radio", "speaker", "game console"]
DEVICE_VERBS = ["charged", "updated", "dropped", "broke", "lost", "found", "fixed", "switched off", "cleaned",
                "sold", "borrowed", "repaired", "forgot", "turned on"]
SEASONS = ["spring", "summer", "autumn", "winter"]
NATURE = ["the leaves turn red and gold", "the days are long", "the lake freezes", "the fields are green",
          "the birds fly south", "the roads are icy", "the flowers come out", "the beaches are crowded",
          "the nights are cold", "the trees lose their leaves", "the farmers cut the hay", "it gets dark early",
          "the gardens are full of roses", "the river floods", "the mountains are covered in snow"]
WATERS = ["river", "lake", "sea", "pond", "stream", "canal", "bay", "ocean"]
WATER_STATES = ["calm", "rough", "frozen", "warm", "cold", "deep", "shallow", "clear", "muddy", "high", "low"]
WORK_THINGS = ["the report", "an email", "the invoice", "the contract", "the plans", "the photos", "a letter",
               "the results", "the timetable", "the list", "the slides", "the budget", "the order"]
WORK_RECEIVERS = ["the team", "our customers", "the manager", "the new client", "everyone in the office",
                  "the head teacher", "the bank", "my colleagues", "the supplier", "the council"]
FEELING_ABOUT = [("proud of", "the result"), ("worried about", "the exam"), ("pleased with", "the new kitchen"),
                 ("angry with", "the noisy neighbours"), ("excited about", "the holiday"),
                 ("tired of", "the rain"), ("afraid of", "the dark"), ("interested in", "old maps"),
                 ("nervous about", "the interview"), ("happy with", "the garden"), ("bored with", "the film"),
                 ("good at", "drawing"), ("bad at", "spelling"), ("sure about", "the answer")]
PLANS = ["a trip", "a party", "a picnic", "a surprise", "a day out", "a barbecue", "a concert", "a wedding",
         "a school play", "a bike ride", "a camping trip", "a visit to the zoo", "a big dinner"]
MEETING_POINTS = ["at the station", "outside the cinema", "in the park", "by the fountain", "at the bus stop",
                  "in front of the library", "at the café", "at the corner", "near the bridge", "at my house"]

# Concrete nouns for frames whose verbs fit any object one can see ("noticed an old wooden bench").
THINGS_SEEN = """
bench bridge fountain statue tower window door gate fence wall roof chimney garden hedge tree bush flower
path road street lane corner square field meadow hill mountain valley forest wood river lake pond beach
cliff island harbour boat ship yacht canoe train tram bus coach lorry van truck tractor bicycle motorbike
scooter car taxi plane helicopter balloon kite umbrella hat cap coat jacket scarf glove boot shoe sock
dress skirt shirt jumper sweater tie belt bag backpack suitcase basket box parcel envelope letter card
poster painting photo picture map sign clock watch ring necklace bracelet mirror lamp candle vase bowl plate
cup mug glass bottle jar jug teapot kettle pan pot knife fork spoon tray table chair sofa bed desk shelf
cupboard drawer carpet rug curtain blanket pillow cushion towel toothbrush comb brush soap bucket ladder
hammer saw spade rake hose wheelbarrow tent caravan cottage farmhouse barn shed castle palace church temple
tower museum gallery theatre cinema stadium market shop kiosk stall factory warehouse office library school
hospital station airport platform ticket newspaper magazine notebook pencil pen crayon ruler calculator
laptop computer keyboard screen printer camera phone radio television guitar piano violin drum trumpet
flute ball racket bat kite puzzle doll teddy robot rocket dinosaur skeleton fossil shell pebble stone rock
crystal feather nest egg leaf branch log mushroom pumpkin melon pineapple coconut cake pie loaf sandwich
pizza cheese sausage jar rainbow cloud star moon sunset storm puddle snowman icicle fire bonfire firework
""".split()
ADJECTIVES_SEEN = """
old new big small tiny huge tall short long wide narrow heavy light dark bright clean dirty broken shiny
wooden metal plastic glass paper stone brick woollen leather silver golden red blue green yellow black white
brown grey pink purple orange empty full strange lovely beautiful ugly famous quiet noisy busy lonely wet
dry warm cold hot soft hard round square rusty dusty muddy colourful enormous ancient modern expensive cheap
pretty simple fancy funny odd tidy messy smooth rough sharp useful
""".split()
SEEING_VERBS = ["saw", "noticed", "found", "photographed", "liked", "remembered", "looked at", "drew",
                "painted", "wanted", "talked about", "asked about", "pointed at", "walked past", "bought"]
INTRANSITIVE_VERBS = ["smiled", "laughed", "waited", "slept", "ran", "danced", "sang", "shouted", "whispered",
                      "cried", "nodded", "listened", "worked", "studied", "travelled", "arrived", "left",
                      "stayed", "relaxed", "rested", "walked", "swam", "climbed", "cycled", "jumped", "talked",
                      "played", "cooked", "practised", "read", "wrote", "drove", "waved", "sighed", "shivered",
                      "complained", "apologised", "agreed", "argued", "hurried", "knocked", "paused"]
ADVERBS = ["quietly", "slowly", "quickly", "loudly", "happily", "patiently", "carefully", "politely", "early",
           "late", "hard", "all day", "for an hour", "for a long time", "again", "together", "alone", "outside",
           "at home", "in the rain", "without a word", "all the way home", "for ages", "at last", "suddenly",
           "calmly", "nervously", "proudly", "quite a lot", "very well", "in silence", "on the beach",
           "in the garden", "at the party", "after dinner", "before breakfast", "in the dark", "once more"]

# --------------------------------------------------------------------------- writer


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" and not phrase.lower().startswith(("uni", "use", "one")) else "a"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def person(self, agreement: str | None = None) -> Person:
        while True:
            person = self.pick(PEOPLE)
            if agreement is None or person.agreement == agreement:
                return person

    def tense(self, allow=("past", "present", "future", "progressive")) -> str:
        return self.pick(allow)

    def be(self, tense: str, person: Person | None = None, plural: bool = False) -> str:
        """Copula: was/were, is/are/am, will be."""
        if tense == "future":
            return "will be"
        agreement = person.agreement if person else ("pl" if plural else "3s")
        if tense == "past":
            return "were" if agreement == "pl" else "was"
        return {"3s": "is", "1s": "am"}.get(agreement, "are")


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True)
class Frame:
    frame_id: str
    held_out: bool
    write: Callable[[_Writer], str]


FRAMES: list[Frame] = []


def _frame(frame_id: str, held_out: bool = False):
    def register(write):
        FRAMES.append(Frame(frame_id, held_out, write))
        return write
    return register


@_frame("svo-time")
def _svo_time(w):
    person = w.person()
    verb, objects = w.pick(VERB_OBJECTS)
    tense = w.tense()
    return f"{_cap(person.text)} {verb.form(tense, person)} {w.pick(objects)} {w.pick(TIMES[tense])}."


@_frame("time-svo")
def _time_svo(w):
    person = w.person()
    verb, objects = w.pick(VERB_OBJECTS)
    tense = w.tense(("past", "present", "future"))
    return f"{_cap(w.pick(TIMES[tense]))}, {person.text} {verb.form(tense, person)} {w.pick(objects)}."


COMMON_FRUITS = ["apple", "pear", "banana", "orange", "strawberry", "lemon", "cherry", "peach"]


def _fruit_pair(w) -> tuple[str, str]:
    """Two different fruits; everyday pairs such as apple and pear more often than rare ones."""
    if w.chance(0.2):
        return "apple", "pear"
    pool = COMMON_FRUITS if w.chance(0.6) else FRUITS
    first = w.pick(pool)
    return first, w.pick([f for f in pool if f != first])


@_frame("fruit-dish")
def _fruit_dish(w):
    first, second = _fruit_pair(w)
    tense = w.pick(("past", "present"))
    dish = w.pick(FRUIT_DISHES)
    plural = dish.endswith("s")
    return f"The {first} and {second} {dish} {w.be(tense, plural=plural)} {w.pick(FOOD_ADJECTIVES)}."


@_frame("made-fruit-dish")
def _made_fruit_dish(w):
    person = w.person()
    first, second = _fruit_pair(w)
    verb = w.pick(("made", "baked", "brought", "bought", "ordered", "shared"))
    dish = w.pick(FRUIT_DISHES)
    article = "some" if dish.endswith("s") or dish in ("juice", "jam", "yoghurt", "ice cream", "sauce") \
        else _article(first)
    occasion = w.pick(("for dinner", "for the party", "for lunch", "for dessert", "for the picnic",
                       "for my birthday", "for the school fair", "yesterday", "on Sunday"))
    return f"{_cap(person.text)} {verb} {article} {first} and {second} {dish} {occasion}."


@_frame("weather")
def _weather(w):
    tense = w.pick(("past", "present", "future"))
    roll = w.rng.random()
    if roll < 0.4:
        when = {"past": ["yesterday", "last night", "all day", "this morning", "on Sunday"],
                "present": ["today", "this morning", "in the mountains", "in winter", "near the sea"],
                "future": ["tomorrow", "tonight", "at the weekend", "next week"]}[tense]
        return f"It {w.be(tense)} {w.pick(('very ', 'quite ', 'really ', ''))}{w.pick(WEATHER_ADJECTIVES)} " \
               f"{w.pick(when)}."
    if roll < 0.7:
        when = {"past": ["all day", "all night", "in the afternoon", "last night", "for hours"],
                "present": ["a lot in November", "most days in winter", "every afternoon", "here in spring"],
                "future": ["tomorrow", "later", "tonight", "at the weekend"]}[tense]
        return f"It {w.pick(WEATHER_VERBS[tense])} {w.pick(when)}."
    place = w.pick(CITIES)
    return f"The weather in {place} {w.be(tense)} {w.pick(WEATHER_ADJECTIVES)} " \
           f"{w.pick(('in ' + w.pick(MONTHS), 'this week', 'today', 'all summer', 'in winter'))}."


@_frame("travel")
def _travel(w):
    person = w.person()
    tense = w.pick(("past", "present", "future"))
    go = _verb("go", "goes", "went", "going").form(tense, person)
    if w.chance(0.5):
        return f"{_cap(person.text)} {go} to {w.pick(PLACES)} {w.pick(TRANSPORT)}."
    return f"{_cap(person.text)} {go} to {w.pick(CITIES)} {w.pick(TRANSPORT)} {w.pick(TIMES[tense])}."


@_frame("feeling-after")
def _feeling_after(w):
    person = w.person()
    tense = w.pick(("past", "present"))
    after = w.pick(("after the long walk", "after school", "after the match", "after work", "after the exam",
                    "after dinner", "after the journey", "after the party", "in the morning", "before the test"))
    return f"{_cap(person.text)} {w.be(tense, person)} {w.pick(('very ', 'really ', 'so ', ''))}" \
           f"{w.pick(FEELINGS)} {after}."


@_frame("feeling-so")
def _feeling_so(w):
    person = w.person()
    pairs = [("hungry", "made a sandwich"), ("tired", "went to bed early"), ("cold", "put on a warm jumper"),
             ("thirsty", "drank a glass of water"), ("bored", "read a book"), ("late", "took a taxi"),
             ("sick", "stayed at home"), ("happy", "sang all the way home"), ("worried", "called the doctor"),
             ("hungry", "ate an apple and a pear"), ("sleepy", "had a cup of coffee")]
    feeling, action = w.pick(pairs)
    return f"{_cap(person.text)} {w.be('past', person)} {feeling}, so {person.subject} {action}."


@_frame("question", held_out=True)
def _question(w):
    return w.pick((
        f"Do you want {w.pick(DRINKS)}?",
        f"Where did you put {w.pick(SMALL_ITEMS)}?",
        f"What time does the {w.pick(('train', 'film', 'shop', 'match', 'bus', 'concert'))} "
        f"{w.pick(('leave', 'start', 'open', 'finish', 'arrive'))}?",
        f"Can you {w.pick(('pass the salt', 'open the window', 'help me with my homework', 'close the door', 'carry this box', 'feed the cat'))}, please?",
        f"Have you ever been to {w.pick(CITIES)}?",
        f"Would you like {w.pick(FOODS)}?",
    ))


@_frame("location")
def _location(w):
    item = w.pick(SMALL_ITEMS + ["the cat", "the dog", "the cups", "the plates", "the scissors", "the apples"])
    plural = item.endswith("s")  # the keys, my glasses, the scissors; every singular item here ends otherwise
    tense = w.pick(("past", "present"))
    return f"{_cap(item)} {w.be(tense, plural=plural)} {w.pick(LOCATIONS)}."


@_frame("need-to-buy")
def _need(w):
    person = w.person()
    need = "needs" if person.agreement == "3s" else "need"
    return f"{_cap(person.text)} {need} to buy {w.pick(BUYABLE)} before {w.pick(DAYS)}."


@_frame("likes-activity")
def _likes(w):
    person = w.person()
    like = w.pick(("like", "love", "enjoy", "hate"))
    verb = like + "s" if person.agreement == "3s" else like
    return f"{_cap(person.text)} {verb} {w.pick(ACTIVITIES)} " \
           f"{w.pick(('in the evening', 'at the weekend', 'in summer', 'on holiday', 'with friends', 'after school', 'in the rain', 'on Sundays'))}."


@_frame("there-is")
def _there_is(w):
    singular, plural = w.pick(COUNTABLE)
    tense = w.pick(("past", "present"))
    if w.chance(0.4):
        word = _article(singular)
        return f"There {'was' if tense == 'past' else 'is'} {word} {singular} in {w.pick(CONTAINERS)}."
    return f"There {'were' if tense == 'past' else 'are'} {w.pick(NUMBERS)} {plural} in {w.pick(CONTAINERS)}."


@_frame("job")
def _job(w):
    person = w.person("3s")
    job, place = w.pick(JOBS)
    tense = w.pick(("past", "present"))
    verb = "worked" if tense == "past" else "works"
    return f"{_cap(person.text)} {verb} as {job} in {place}" \
           f"{w.pick(('', ' near ' + w.pick(CITIES), ' in the city centre', ' in our town'))}."


@_frame("school")
def _school(w):
    subject = w.pick(SCHOOL_SUBJECTS)
    return w.pick((
        f"Our teacher gave us {w.pick(('homework', 'a test', 'a project', 'an essay'))} in {subject} "
        f"{w.pick(TIMES['past'])}.",
        f"The {subject} exam {w.pick(('starts', 'is', 'was'))} on {w.pick(DAYS)} morning.",
        f"I forgot my {w.pick(('pencil case', 'homework', 'lunch', 'calculator', 'sports kit', 'reading book'))} "
        f"at home {w.pick(('again', 'today', 'yesterday', 'on Monday'))}.",
        f"{_cap(w.person().text)} got a good mark in {subject}.",
        f"The {w.pick(('first', 'last', 'second'))} lesson {w.pick(('is', 'was'))} {subject}.",
    ))


@_frame("has-things")
def _has(w):
    person = w.person()
    tense = w.pick(("past", "present"))
    have = {"past": "had"}.get(tense, "has" if person.agreement == "3s" else "have")
    things = w.pick(("two cats and a dog", "three brothers", "a big garden", "a red bike", "a lot of homework",
                     "a new job", "a cold", "two sisters", "a small flat", "a pear tree in the garden",
                     "lots of friends", "a piano", "an old car", "a pair of blue shoes", "a headache"))
    return f"{_cap(person.text)} {have} {things}."


@_frame("holiday")
def _holiday(w):
    person = w.person("pl")
    tense = w.pick(("past", "future", "progressive"))
    go = {"past": "went", "future": "will go", "progressive": "are going"}[tense]
    return f"{_cap(person.text)} {go} on holiday to {w.pick(COUNTRIES)} in {w.pick(MONTHS)}."


@_frame("opening-hours", held_out=True)
def _opening(w):
    place = w.pick(("shop", "library", "museum", "bakery", "bank", "pool", "café", "post office", "market"))
    verb = w.pick(("opens", "closes"))
    return f"The {place} {verb} at {w.pick(CLOCK)} on {w.pick(DAYS)}s."


@_frame("fruit-tree")
def _fruit_tree(w):
    fruit = w.pick(FRUITS[:10])
    adjective = w.pick(("old", "tall", "small", "young", "big", "lovely"))
    tense = w.pick(("past", "present"))
    where = w.pick(("in our garden", "in the garden", "behind the house", "next to the school",
                    "in the field", "by the gate"))
    return f"There {'was' if tense == 'past' else 'is'} {_article(adjective)} {adjective} {fruit} tree {where}."


@_frame("pair-of")
def _pair_of(w):
    person = w.person()
    thing = w.pick(PAIR_OF)
    verb = w.pick(("bought", "found", "lost", "needed", "wore", "gave me", "ordered", "tried on"))
    colour = w.pick(("", "new ", "black ", "blue ", "old ", "warm ", "brown ", "white "))
    return f"{_cap(person.text)} {verb} a pair of {colour}{thing} {w.pick(TIMES['past'])}."


@_frame("but-clause")
def _but(w):
    person = w.person()
    wanted = w.pick(("go for a walk", "play outside", "go to the beach", "have a picnic", "ride my bike",
                     "visit the park", "go swimming", "sit in the garden"))
    reason = w.pick(("it was raining", "it was too cold", "it started to snow", "the wind was too strong",
                     "the park was closed", "the bus was late", "we had too much homework", "I had a cold"))
    return f"{_cap(person.text)} wanted to {wanted.replace('my ', person.possessive + ' ')}, but " \
           f"{reason.replace('I had', person.subject + ' had').replace(' I ', ' ' + person.subject + ' ')}."


@_frame("family-size", held_out=True)
def _family(w):
    person = w.person("3s")
    relation = w.pick(("sister", "brother", "cousin", "friend", "neighbour"))
    comparison = w.pick(("taller", "older", "younger", "faster", "quieter", "stronger", "funnier"))
    return f"{_cap(person.text)} is {comparison} than {person.possessive} {relation}."


@_frame("place-description")
def _place(w):
    place = w.pick(("The town", "Our village", "The old market", "The new library", "The station",
                    "The beach", "The park", "The school", "The museum", "The hotel", "The city centre"))
    tense = w.pick(("past", "present"))
    return f"{place} {w.be(tense)} {w.pick(('very ', 'quite ', 'really ', ''))}{w.pick(SIZE_ADJECTIVES)} " \
           f"{w.pick(('and very busy', 'and full of tourists', 'but very quiet', 'and clean', 'in the summer', 'at night', ''))}".rstrip() + "."


@_frame("meal", held_out=True)
def _meal(w):
    person = w.person()
    meal = w.pick(("breakfast", "lunch", "dinner"))
    tense = w.pick(("past", "present"))
    have = "had" if tense == "past" else ("has" if person.agreement == "3s" else "have")
    return f"{_cap(person.text)} {have} {w.pick(FOODS)} and {w.pick(DRINKS)} for {meal}."


@_frame("progressive-now")
def _progressive(w):
    person = w.person()
    verb, objects = w.pick(VERB_OBJECTS)
    return f"{_cap(person.text)} {verb.form('progressive', person)} {w.pick(objects)} " \
           f"{w.pick(('in the ' + w.pick(ROOMS), 'at the moment', 'right now', 'with ' + person.possessive + ' friends'))}."


@_frame("clock-time")
def _clock(w):
    person = w.person()
    tense = w.pick(("past", "present"))
    verb = w.pick([_verb("get up", "gets up", "got up", "getting up"), _verb("leave", "leaves", "left", "leaving"),
                   _verb("arrive", "arrives", "arrived", "arriving"), _verb("wake up", "wakes up", "woke up", "waking up"),
                   _verb("go to bed", "goes to bed", "went to bed", "going to bed")])
    return f"{_cap(person.text)} {verb.form(tense, person)} at {w.pick(CLOCK)} {w.pick(TIMES[tense])}."


@_frame("object-description")
def _object(w):
    item = w.pick(HOUSEHOLD)
    colour = w.pick(COLOURS)
    size = w.pick(SIZE_ADJECTIVES)
    tense = w.pick(("past", "present"))
    return w.pick((
        f"The {colour} {item} {w.be(tense)} {w.pick(LOCATIONS + ['in the ' + w.pick(ROOMS)])}.",
        f"{_cap(w.person().text)} bought {_article(size)} {size} {colour} {item} for the {w.pick(ROOMS)}.",
        f"The {item} in the {w.pick(ROOMS)} {w.be(tense)} {w.pick(('broken', 'new', 'very old', 'dirty', 'clean', 'too small', 'heavy'))}.",
    ))


@_frame("animal")
def _animal(w):
    animal = w.pick(ANIMAL_NOUNS)
    size = w.pick(("little", "big", "old", "young", "small", "brown", "black", "white", "grey", "friendly"))
    if w.chance(0.5):
        return f"The {size} {animal} {w.pick(ANIMAL_ACTIONS)} {w.pick(ANIMAL_PLACES)}."
    person = w.person()
    return f"{_cap(person.text)} saw {_article(size)} {size} {animal} {w.pick(ANIMAL_PLACES)} {w.pick(TIMES['past'])}."


@_frame("book-about")
def _book_about(w):
    person = w.person()
    tense = w.pick(("past", "progressive"))
    verb = _verb("read", "reads", "read", "reading").form(tense, person)
    kind = w.pick(("a book", "an article", "a story", "a magazine", "a long report", "a short book"))
    return f"{_cap(person.text)} {verb} {kind} about {w.pick(TOPICS)}."


@_frame("gift")
def _gift(w):
    giver = w.person()
    receiver = w.pick(PEOPLE_OBJECTS + ["me", "us", "her", "him", "them"])
    return f"{_cap(giver.text)} gave {receiver} {w.pick(GIFTS)} {w.pick(OCCASIONS)}."


@_frame("vehicle")
def _vehicle(w):
    tense = w.pick(("past", "present", "future"))
    vehicle = w.pick(VEHICLES)
    tail = w.pick(("this morning", "again", "today", "as usual", "because of the snow", "because of the storm",
                   "on Monday", "last night", "tonight"))
    return f"The {w.pick(('', 'early ', 'last ', 'morning ', 'evening ', 'first '))}{vehicle} " \
           f"{w.be(tense)} {w.pick(VEHICLE_STATES)} {tail}."


@_frame("said-that", held_out=True)
def _said_that(w):
    person = w.person()
    verb = w.pick(("said", "told me", "heard", "thinks" if person.agreement == "3s" else "think", "read"))
    return f"{_cap(person.text)} {verb} that {w.pick(NEWS)}."


@_frame("because")
def _because(w):
    person = w.person()
    pairs = [("stayed at home", "it was raining"), ("went to bed early", "the next day was busy"),
             ("took an umbrella", "the sky was grey"), ("bought some pears", "they were cheap"),
             ("missed the bus", "the alarm did not ring"), ("walked to school", "the weather was lovely"),
             ("opened the window", "the room was too warm"), ("wore a coat", "it was cold outside"),
             ("made some soup", "everyone was hungry"), ("called the doctor", "the baby had a fever"),
             ("left early", "the roads were busy"), ("cleaned the kitchen", "guests were coming")]
    action, reason = w.pick(pairs)
    return f"{_cap(person.text)} {action} because {reason}."


@_frame("kitchen")
def _kitchen(w):
    person = w.person()
    return f"{_cap(person.text)} {w.pick(KITCHEN_VERBS)} the {w.pick(VEGETABLES)} " \
           f"{w.pick(('for the soup', 'for dinner', 'for the salad', 'before lunch', 'in the kitchen', 'very carefully', 'for the stew', ''))}".rstrip() + "."


@_frame("illness")
def _illness(w):
    person = w.person()
    illness, action = w.pick(ILLNESSES)
    return f"{_cap(person.text)} had {illness}, so {person.subject} {action}."


@_frame("sport")
def _sport(w):
    if w.chance(0.5):
        return f"{w.pick(TEAMS)} {w.pick(('won', 'lost', 'drew'))} the {w.pick(COMPETITIONS)} {w.pick(SCORES)}."
    person = w.person()
    return f"{_cap(person.text)} scored {w.pick(('a goal', 'two goals', 'the winning goal', 'a great goal'))} " \
           f"in the {w.pick(('first', 'second', 'last'))} half."


@_frame("price")
def _price(w):
    item = w.pick(BUYABLE + GIFTS)
    return f"{_cap(item.replace('a ', 'the ', 1) if item.startswith('a ') else item)} cost {w.pick(PRICES)}."


@_frame("directions")
def _directions(w):
    first = w.pick(BUILDINGS)
    second = w.pick([b for b in BUILDINGS if b != first])
    tense = w.pick(("past", "present"))
    return f"The {first} {w.be(tense)} {w.pick(POSITIONS)} the {second}."


@_frame("device")
def _device(w):
    person = w.person()
    return f"{_cap(person.text)} {w.pick(DEVICE_VERBS)} {person.possessive} {w.pick(DEVICES)} " \
           f"{w.pick(TIMES['past'])}."


@_frame("seasons")
def _seasons(w):
    return f"In {w.pick(SEASONS)}, {w.pick(NATURE)}."


@_frame("water")
def _water(w):
    tense = w.pick(("past", "present"))
    return f"The {w.pick(WATERS)} {w.be(tense)} {w.pick(('very ', 'quite ', 'too ', ''))}" \
           f"{w.pick(WATER_STATES)} {w.pick(('today', 'this morning', 'in winter', 'after the storm', 'all week', 'yesterday'))}."


@_frame("office")
def _office(w):
    person = w.person()
    tense = w.pick(("past", "future"))
    send = _verb("send", "sends", "sent", "sending").form(tense, person)
    return f"{_cap(person.text)} {send} {w.pick(WORK_THINGS)} to {w.pick(WORK_RECEIVERS)} {w.pick(TIMES[tense])}."


@_frame("feeling-about", held_out=True)
def _feeling_about(w):
    person = w.person()
    tense = w.pick(("past", "present"))
    about, thing = w.pick(FEELING_ABOUT)
    return f"{_cap(person.text)} {w.be(tense, person)} {w.pick(('very ', 'really ', 'quite ', ''))}{about} {thing}."


@_frame("plans")
def _plans(w):
    person = w.person("pl")
    return f"{_cap(person.text)} are planning {w.pick(PLANS)} for {w.pick(('next weekend', 'the summer', 'Saturday', 'her birthday', 'the end of term', 'next month', 'the holidays'))}."


@_frame("meet-at", held_out=True)
def _meet_at(w):
    return f"Let's meet {w.pick(MEETING_POINTS)} at {w.pick(CLOCK)}."


@_frame("saw-thing")
def _saw_thing(w):
    person = w.person()
    adjective = w.pick(ADJECTIVES_SEEN)
    noun = w.pick(THINGS_SEEN)
    verb = w.pick(SEEING_VERBS)
    obj = f"a picture of {_article(adjective)} {adjective} {noun}" if verb in ("drew", "painted") \
        else f"{_article(adjective)} {adjective} {noun}"
    return f"{_cap(person.text)} {verb} {obj} {w.pick(ANIMAL_PLACES + TIMES['past'])}."


@_frame("thing-was")
def _thing_was(w):
    noun = w.pick(THINGS_SEEN)
    tense = w.pick(("past", "present"))
    first, second = w.pick(ADJECTIVES_SEEN), w.pick(ADJECTIVES_SEEN)
    if first == second:
        return f"The {noun} {w.be(tense)} {w.pick(('very ', 'quite ', 'rather ', 'too ', ''))}{first}."
    return f"The {noun} {w.be(tense)} {first} and {second}."


@_frame("intransitive")
def _intransitive(w):
    person = w.person()
    return f"{_cap(person.text)} {w.pick(INTRANSITIVE_VERBS)} {w.pick(ADVERBS)}."


# --------------------------------------------------------------------------- generation


def frames_for(split: str) -> list[Frame]:
    """Held-out frames for test, the others for train and dev."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return [f for f in FRAMES if f.held_out == (split == "test")]


def generate_sentence_records(n: int, seed: int = 0, split: str = "train") -> list[tuple[str, str]]:
    """``n`` (sentence, frame id) pairs, seeded."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    frames = frames_for(split)
    rng = random.Random(f"sentences/{split}/{seed}")
    w = _Writer(rng)
    records = []
    for _ in range(n):
        frame = rng.choice(frames)
        records.append((" ".join(frame.write(w).split()), frame.frame_id))
    return records


def generate_sentences(n: int, seed: int = 0, split: str = "train") -> list[str]:
    """``n`` everyday English sentences, seeded; ``split`` is "train", "dev" or "test"."""
    return [text for text, _ in generate_sentence_records(n, seed, split)]
