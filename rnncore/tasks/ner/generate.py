"""Seeded named-entity corpus: sentences x<1>..x<T_x> with BIO tags y<1>..y<T_y> (T_y = T_x).

``generate_ner(n, seed, split)`` fills hand-written sentence frames ("{PER} flew from {CITY} to
{CITY} on {day}.") with person names from Faker's name lists in many locales, real places,
companies and organisations, and ordinary words, then tokenizes the finished sentence with
``rnncore.text.tokenize`` and aligns the entity character spans to the tokens, so the tokens are
exactly what a typed sentence gives at inference time.

Splits (``split`` in ``"train"``, ``"dev"``, ``"test"``)
    Frames, person first names, person last names and the less famous places and organisations are
    each partitioned by a stable hash into three disjoint sets (about 80 / 10 / 10 percent). Dev and
    test sentences therefore use frames and names the training split never shows; dev is a second
    held-out set for early stopping, so the test split stays untouched. A short list of anchor names
    (the course notes' "Tom", "Eliza", "Sherlock", "Holmes", "John", "Watson" and the issue's "Kenji",
    "Olga", "Ngozi", "Müller") and the most famous places and organisations always belong to train.

Annotation conventions (the challenge set in classroom.conll beside this file follows them)
    PER   people, including fictional characters and pets' names. The whole name is one span, with
          particles and hyphens ("Ruud van der Berg", "Jean-Luc", "O'Brien"). Titles and roles are
          outside: "Dr.", "Mrs.", "Professor", "Coach", "General" are O.
    LOC   cities, countries, regions, continents, rivers, lakes, mountains, streets, squares and
          landmarks. A capitalised head that belongs to the name is inside ("Baker Street",
          "Lake Victoria", "Eiffel Tower"); a house number ("221B") and a lowercase descriptive noun
          ("the Amazon rainforest") are outside.
    ORG   companies, institutions, parties, sports clubs, universities, newspapers and broadcasters.
          A place name inside an organisation's name is part of it ("Manchester United").
    MISC  nationalities and other group adjectives ("French", "Nigerian", "Yoruba"), languages,
          named events and competitions ("Olympics", "World Cup", "Tour de France"), prizes
          ("Nobel Prize") and named historical periods ("World War II").
    A leading "the" is never inside a span ("the United Nations", "the Netherlands"). A possessive
    "'s" after a name is O; inside a name that contains it ("McDonald's") it is part of the span.
    Days, months, "I" and sentence-initial words are O. Product names are avoided.

Deliberate ambiguity (``AMBIGUOUS``)
    Apple (ORG / fruit O), Amazon (ORG / LOC), Jordan (PER / LOC), Washington (PER / LOC), Paris
    (LOC / PER), Tesla (ORG / PER), May (PER / month O / modal O), Teddy (PER / teddy bear O). These
    words are removed from the general name and place lists, so every occurrence comes from the
    ambiguity frames, which use both senses equally often. In about two thirds of those sentences
    the words that decide the sense come after the ambiguous word, with a left context shared by
    both senses, so a left-to-right model cannot know the answer and a bidirectional one can.

Variety
    Non-entity slots draw from hand-written word lists and, for a share of slots, from English words
    of the most frequent 20,000 (wordfreq) whose suffix marks the part of speech, so the tagger meets
    thousands of ordinary words as O. About 5 percent of sentences (15 percent of ambiguity
    sentences) are typed all lowercase with their tags kept, and some lack the final full stop.

Faker and wordfreq are development-time dependencies: they are imported lazily by the generator.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass

from rnncore.text import normalize, tokenize

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
SPLITS = ("train", "dev", "test")

AMBIGUITY_SHARE = 0.15  # share of sentences drawn from the ambiguity frames
LOWERCASE_SHARE = 0.08  # share of ordinary sentences typed all lowercase
AMBIGUOUS_LOWERCASE_SHARE = 0.15
NO_FINAL_STOP_SHARE = 0.08
PRONOUN_SHARE = 0.25  # ordinary sentences opening with a person where "He"/"She" replaces the name
OPENER_SHARE = 0.10  # "Yesterday, ..." put in front of an ordinary frame
RIGHT_DECIDED_SHARE = 0.65  # ambiguity sentences whose deciding words follow the ambiguous word
WORDFREQ_SHARE = 0.35  # filler slots that draw from the wordfreq lists instead of the hand lists


def _split_of(key: str, salt: str) -> str:
    """Stable 80/10/10 assignment of a string to train/dev/test (md5, not Python's salted hash)."""
    bucket = int(hashlib.md5(f"{salt}:{key}".encode()).hexdigest(), 16) % 100
    if bucket < 80:
        return "train"
    return "dev" if bucket < 90 else "test"


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def _items(block: str) -> list[str]:
    """Entries separated by semicolons or new lines."""
    return [item.strip() for item in re.split(r"[;\n]", block) if item.strip()]


# ---------------------------------------------------------------------------------------------
# Places, organisations and other names. "the|X" means: "the" is written before X and stays O.
# core: always in the training split. more: partitioned between train, dev and test.
# ---------------------------------------------------------------------------------------------

GAZETTEER: dict[str, tuple[str, dict[str, list[str]]]] = {}


def _gaz(slot: str, entity_type: str, core: str, more: str) -> None:
    GAZETTEER[slot] = (entity_type, {"core": _items(core), "more": _items(more)})


_gaz("CITY", "LOC", """
London; Berlin; Madrid; Rome; Tokyo; Lagos; Nairobi; Cairo; New York; Los Angeles; Chicago; Sydney;
Moscow; Beijing; Mumbai; Delhi; Istanbul; Dublin; Amsterdam; Vienna; Prague; Warsaw; Lisbon; Athens;
Stockholm; Oslo; Copenhagen; Helsinki; Toronto; Mexico City; São Paulo; Buenos Aires; Rio de Janeiro;
Cape Town; Johannesburg; Seoul; Bangkok; Shanghai; Dubai; Edinburgh; Manchester; Munich; Hamburg;
Zürich; Geneva; Milan; Barcelona; Kyoto; Osaka; Accra; Addis Ababa; Lima; Bogotá; Vancouver; Montreal;
Boston; San Francisco; Seattle; Miami; Melbourne; Auckland; Brussels; Budapest; Hong Kong
""", """
Lyon; Marseille; Nice; Bordeaux; Toulouse; Kraków; Gdańsk; Brno; Bratislava; Bucharest; Sofia;
Belgrade; Zagreb; Ljubljana; Sarajevo; Tallinn; Riga; Vilnius; Kyiv; Lviv; Minsk; Tbilisi; Yerevan;
Baku; Almaty; Tashkent; Tehran; Baghdad; Beirut; Amman; Riyadh; Doha; Muscat; Karachi; Lahore; Dhaka;
Kathmandu; Colombo; Chennai; Bangalore; Kolkata; Hyderabad; Hanoi; Ho Chi Minh City; Manila; Jakarta;
Kuala Lumpur; Taipei; Busan; Sapporo; Nagoya; Fukuoka; Perth; Brisbane; Adelaide; Wellington;
Christchurch; Ottawa; Calgary; Houston; Dallas; Denver; Atlanta; Phoenix; Detroit; Philadelphia;
Baltimore; Nashville; New Orleans; Havana; Kingston; Caracas; Quito; La Paz; Montevideo; Asunción;
Medellín; Guadalajara; Monterrey; Casablanca; Marrakesh; Tunis; Algiers; Dakar; Abuja; Kano; Ibadan;
Enugu; Kumasi; Kampala; Kigali; Dar es Salaam; Mombasa; Lusaka; Harare; Maputo; Luanda; Durban;
Pretoria; Windhoek; Gaborone; Antananarivo; Rotterdam; Utrecht; Antwerp; Ghent; Bruges; Cologne;
Frankfurt; Stuttgart; Düsseldorf; Leipzig; Dresden; Bremen; Hanover; Salzburg; Innsbruck; Basel;
Bern; Lausanne; Turin; Naples; Florence; Venice; Bologna; Genoa; Palermo; Seville; Valencia; Bilbao;
Málaga; Granada; Porto; Coimbra; Gothenburg; Malmö; Uppsala; Bergen; Trondheim; Aarhus; Reykjavík;
Tampere; Turku; Glasgow; Cardiff; Belfast; Liverpool; Leeds; Birmingham; Bristol; Oxford; Cambridge;
York; Brighton; Cork; Galway; Thessaloniki; Izmir; Ankara; Antalya; Odesa; Kazan; Novosibirsk;
Vladivostok; Saint Petersburg; Stratford-upon-Avon; Aix-en-Provence; Saint-Étienne; Poznań; Łódź;
Wrocław; Košice; Cluj-Napoca; Plovdiv; Split; Dubrovnik; Salvador; Recife; Fortaleza; Curitiba;
Porto Alegre; Rosario; Córdoba; Valparaíso; Cusco; Arequipa; Cali; Cartagena; Puebla; Tijuana;
Winnipeg; Halifax; Edmonton; Victoria Island; Port Harcourt; Benin City; Zanzibar City; Arusha;
Bulawayo; Stellenbosch; Hiroshima; Nara; Kobe; Yokohama; Incheon; Daegu; Chiang Mai; Phuket;
Da Nang; Cebu; Surabaya; Yogyakarta; Penang; Pune; Jaipur; Ahmedabad; Lucknow; Kochi; Chittagong;
Pokhara; Kandy; Isfahan; Shiraz; Tabriz; Mosul; Aleppo; Haifa; Tel Aviv; Jerusalem; Nicosia;
Valletta; Tirana; Skopje; Podgorica; Chișinău; Odense; Tromsø; Linköping; Oulu; Tartu; Kaunas
""")

_gaz("COUNTRY", "LOC", """
France; Germany; Spain; Italy; Japan; China; India; Nigeria; Kenya; Egypt; Brazil; Mexico; Canada;
Australia; Russia; Poland; Sweden; Norway; Ireland; Scotland; Wales; England; the|United States;
the|United Kingdom; the|Netherlands; Greece; Portugal; Argentina; Chile; Peru; Colombia; South Africa;
Ghana; Ethiopia; Morocco; South Korea; Vietnam; Thailand; Indonesia; Pakistan; Bangladesh; Iran;
Ukraine; Switzerland; Austria; Belgium; Denmark; Finland; Iceland; New Zealand; Turkey
""", """
Czechia; Slovakia; Hungary; Romania; Bulgaria; Serbia; Croatia; Slovenia; Bosnia; Albania;
North Macedonia; Montenegro; Estonia; Latvia; Lithuania; Belarus; Moldova; Georgia; Armenia;
Azerbaijan; Kazakhstan; Uzbekistan; Mongolia; Nepal; Sri Lanka; Myanmar; Cambodia; Laos; Malaysia;
Singapore; the|Philippines; Taiwan; Saudi Arabia; the|United Arab Emirates; Qatar; Oman; Kuwait;
Lebanon; Syria; Cyprus; Malta; Tunisia; Algeria; Libya; Sudan; Senegal; Mali; Niger; Cameroon;
Uganda; Tanzania; Rwanda; Zambia; Zimbabwe; Mozambique; Angola; Namibia; Botswana; Madagascar;
Cuba; Jamaica; Haiti; the|Dominican Republic; Venezuela; Ecuador; Bolivia; Paraguay; Uruguay;
Costa Rica; Panama; Guatemala; Honduras; Luxembourg; Iraq; Israel; Afghanistan; Kyrgyzstan;
Tajikistan; Bhutan; Brunei; Fiji; Papua New Guinea; Samoa; Tonga; Mauritius; Seychelles; Malawi;
Lesotho; Eswatini; Burkina Faso; Benin; Togo; Sierra Leone; Liberia; Guinea; Gambia; Somalia;
Eritrea; Djibouti; South Sudan; Chad; Gabon; Congo; Nicaragua; El Salvador; Belize; Trinidad;
Barbados; the|Bahamas; Bahrain; Yemen; Kosovo; Andorra; Monaco; Liechtenstein; San Marino
""")

_gaz("REGION", "LOC", """
Europe; Africa; Asia; South America; North America; Antarctica; Bavaria; Catalonia; Tuscany;
Texas; California; Florida; Scandinavia; Siberia; Yorkshire; Provence; Ontario; Queensland
""", """
Normandy; Brittany; Andalusia; Patagonia; Ohio; Oregon; Alaska; Quebec; Tasmania; Cornwall; Kent;
the|Sahara; Kerala; Punjab; Bengal; Lapland; Sicily; Sardinia; Corsica; Crete; Bali; Hokkaido;
Kyushu; Lombardy; Saxony; Flanders; Wallonia; the|Balkans; the|Caribbean; the|Midwest; Galicia;
Transylvania; Anatolia; Tyrol; Silesia; Alsace; Burgundy; the|Algarve; Madeira; the|Azores;
Mallorca; Ibiza; Tenerife; Sumatra; Borneo; Java; Mindanao; Okinawa; Kashmir; Rajasthan; Goa;
Assam; Darfur; Katanga; Zanzibar; Kurdistan; the|Highlands; the|Lake District; Devon; Dorset;
Lancashire; Connemara; Kerry; Limburg; Friesland; Carinthia; Styria; Moravia; Bohemia; Pomerania;
Masuria; Dalmatia; Istria; Macedonia; Thrace; Peloponnese; Cappadocia; Crimea; Donbas; the|Urals;
Manitoba; Saskatchewan; Nova Scotia; Yukon; Montana; Arizona; Nevada; Utah; Colorado; Vermont;
Maine; Michigan; Minnesota; Louisiana; Kentucky; Tennessee; Hawaii; Yucatán; Oaxaca; Chiapas;
Amazonas; Bahia; Minas Gerais; the|Pampas; Mendoza; Atacama; Tierra del Fuego; Victoria; Kimberley;
the|Outback; Otago; Canterbury; Westphalia; Swabia; Lorraine; Savoy; Piedmont; Umbria; Apulia;
Calabria; Basque Country; Aragon; Asturias; Castile; Lombok; Sabah; Sarawak
""")

_gaz("RIVER", "LOC", """
the|Thames; the|Danube; the|Rhine; the|Nile; the|Seine; the|Mississippi; the|Ganges; the|Volga;
Lake Victoria; Lake Geneva
""", """
the|Yangtze; the|Mekong; the|Niger; the|Congo; the|Zambezi; the|Elbe; the|Loire; the|Tiber;
the|Vistula; the|Shannon; the|Douro; the|Ebro; the|Rhône; the|Dnipro; the|Limpopo; the|Orinoco;
the|Hudson; the|Euphrates; the|Tigris; the|Indus; the|Brahmaputra; the|Yukon; the|Missouri;
the|Rio Grande; the|Po; the|Oder; the|Moselle; the|Main; the|Neckar; the|Severn; the|Tyne;
the|Liffey; the|Tagus; the|Guadalquivir; the|Dniester; the|Don; the|Ob; the|Lena; the|Amur;
the|Murray; the|Paraná; the|Senegal; the|Okavango; Lake Como; Lake Baikal;
Lake Titicaca; Lake Tanganyika; Lake Malawi; Lake Chad; Lake Superior; Lake Ontario; Lake Constance;
Lake Balaton; Lake Bled; Loch Ness; Lake Garda; Lake Tahoe; the|Dead Sea; the|Black Sea;
the|Baltic Sea; the|North Sea; the|Red Sea; the|Caspian Sea; the|Mediterranean; the|Atlantic Ocean;
the|Pacific Ocean; the|Indian Ocean; the|Arctic Ocean; the|Southern Ocean; the|English Channel
""")

_gaz("MOUNTAIN", "LOC", """
Mount Everest; Kilimanjaro; Mont Blanc; Mount Fuji; the|Alps; the|Andes; the|Himalayas
""", """
Mount Kenya; the|Matterhorn; the|Rockies; the|Pyrenees; the|Carpathians; the|Dolomites; Ben Nevis;
Table Mountain; Mount Olympus; the|Atlas Mountains; Snowdon; K2; Mount Kinabalu; Mount Cook;
Aconcagua; Denali; Mount Etna; Vesuvius; Mount Ararat; the|Tatra Mountains; the|Zugspitze;
the|Eiger; Mount Elbrus; the|Drakensberg; the|Rwenzori Mountains; Mount Sinai; Mount Rainier;
the|Appalachians; the|Scottish Highlands; Triglav; Mount Toubkal; Annapurna; Nanga Parbat
""")

_gaz("STREET", "LOC", """
Baker Street; Oxford Street; Abbey Road; Fifth Avenue; Wall Street; Broadway; Downing Street
""", """
the|Champs-Élysées; Nevsky Prospect; Las Ramblas; Unter den Linden; Sunset Boulevard;
Lombard Street; Bourbon Street; Via del Corso; Carnaby Street; Princes Street; Grafton Street;
Kurfürstendamm; Rue de Rivoli; Orchard Road; Nathan Road; Avenida Paulista; Gran Vía;
Istiklal Avenue; Karl Johans gate; Regent Street; Portobello Road; Bond Street; Market Street;
Queen Street; George Street; Church Street; Station Road; High Street; Main Street; Elm Street;
Maple Avenue; Park Lane; Fleet Street; Whitehall; Strøget; Damrak; Mariahilfer Straße;
Nowy Świat; Váci Street; Khreshchatyk; Arbat Street; Takeshita Street; Nanjing Road;
Avenida de Mayo; Paseo de la Reforma; Ocean Drive; Lygon Street; Ponsonby Road; Long Street
""")

_gaz("LANDMARK", "LOC", """
the|Eiffel Tower; the|Colosseum; Big Ben; the|Great Wall; Central Park; Hyde Park; Times Square
""", """
the|Tower of London; Machu Picchu; the|Acropolis; the|Brandenburg Gate; the|Golden Gate Bridge;
the|Taj Mahal; Red Square; the|Sagrada Família; Stonehenge; Niagara Falls; Victoria Falls;
the|Statue of Liberty; Alexanderplatz; Trafalgar Square; Piccadilly Circus; the|Alhambra;
the|Grand Canyon; Mount Rushmore; the|Leaning Tower of Pisa; the|Blue Mosque; the|Hagia Sophia;
the|Forbidden City; Angkor Wat; Petra; the|Pyramids of Giza; Charles Bridge; Tower Bridge;
the|Sydney Opera House; the|Burj Khalifa; the|Atomium; the|Little Mermaid; Mount Rushmore;
the|Kremlin; the|Parthenon; the|Pantheon; the|Trevi Fountain; the|Rialto Bridge; Dam Square;
the|Vatican; Neuschwanstein Castle; Edinburgh Castle; the|Cliffs of Moher; the|Giant's Causeway;
Ha Long Bay; the|Great Barrier Reef; Uluru; Table Bay; Copacabana Beach; Christ the Redeemer;
Chichen Itza; Teotihuacan; the|Serengeti; the|Okavango Delta; Lake District National Park;
Yellowstone; Yosemite; Banff National Park; Kruger National Park; the|Masai Mara
""")

_gaz("COMPANY", "ORG", """
Google; Microsoft; Samsung; Sony; Toyota; Volkswagen; Siemens; Nokia; Spotify; IKEA; Nestlé; Adidas;
Nike; Netflix; Uber; Airbnb; Facebook; Huawei; Lufthansa; Ryanair; Starbucks; McDonald's; Coca-Cola;
Safaricom; Dangote; MTN; Infosys; Tata; Boeing; Airbus; Shell; Unilever; Philips; Heineken
""", """
Honda; Nissan; BMW; Bosch; Ericsson; Volvo; Lego; Puma; BP; Intel; IBM; Instagram; Alibaba; Tencent;
Xiaomi; Lenovo; Reliance; Jumia; Shoprite; Carlsberg; Renault; Peugeot; Michelin; L'Oréal; Danone;
Zara; H&M; Primark; Tesco; Aldi; Lidl; Carrefour; Walmart; Pepsi; Ferrari; Fiat; Pirelli; Barilla;
Gucci; Prada; Rolex; Swatch; Novartis; Roche; Pfizer; Moderna; BioNTech; Bayer; BASF; Emirates;
Qantas; KLM; Air France; British Airways; Deutsche Bank; HSBC; Barclays; Santander; Goldman Sachs;
JPMorgan; Visa; Mastercard; PayPal; Oracle; Adobe; Nvidia; Dell; Canon; Nikon; Panasonic; Hitachi;
Mitsubishi; Hyundai; Kia; LG; Skoda; Tata Motors; Petrobras; Embraer; Gazprom; Yandex; Aramco;
Maersk; Novo Nordisk; Rakuten; Nintendo; SoftBank; Uniqlo; Accenture; Deloitte; Vodafone;
Telefónica; Revolut; Zalando; SAP; Atlassian; Shopify; Canva; DeepMind; Procter & Gamble;
Marks & Spencer; Johnson & Johnson; Ethiopian Airlines; Kenya Airways; Equity Bank; Flutterwave;
Paystack; Naspers; Vodacom; Standard Bank; Ecobank; Toyota Tsusho; Fast Retailing; Grab; Gojek;
Tokopedia; Flipkart; Wipro; Mahindra; Bajaj; Ola; Paytm; Nubank; Mercado Libre; Rappi; Cemex;
Bimbo; Televisa; Ørsted; Vestas; Electrolux; Husqvarna; Scania; Saab; Kone; Rovio; Supercell;
Skype; Trivago; Rocket Internet; Delivery Hero; Bolt; Wolt; Glovo; Cabify; Inditex; Mango; Seat;
Iberia; Repsol; Enel; Eni; Generali; UniCredit; Luxottica; Benetton; Lavazza; Illy; Ferrero;
Continental; Porsche; Audi; Daimler; Allianz; Adidas Group; Henkel; Beiersdorf; Haribo; Miele
""")

_gaz("ORG", "ORG", """
the|United Nations; the|World Health Organization; the|European Union; NATO; UNESCO; UNICEF;
the|Red Cross; the|World Bank; NASA; FIFA; the|International Monetary Fund; Greenpeace
""", """
the|African Union; the|European Commission; the|European Central Bank; the|Bank of England;
the|Federal Reserve; Amnesty International; Oxfam; Doctors Without Borders;
the|World Trade Organization; the|International Olympic Committee; UEFA; the|European Space Agency;
the|Royal Society; the|Met Office; Interpol; the|Bundestag; the|Labour Party; the|Green Party;
the|National Health Service; the|Salvation Army; the|World Wildlife Fund; Save the Children;
the|Gates Foundation; the|Wikimedia Foundation; the|Mozilla Foundation; the|Linux Foundation;
the|Arab League; ASEAN; the|Commonwealth; OPEC; the|OECD; the|International Red Crescent;
the|Japan Meteorological Agency; the|Indian Space Research Organisation; the|Bank of Japan;
the|Central Bank of Nigeria; the|Reserve Bank of India; the|Swiss National Bank; Europol;
the|European Parliament; the|Council of Europe; the|International Court of Justice;
the|World Food Programme; the|UN Refugee Agency; the|International Labour Organization;
the|Royal Academy; the|British Museum; the|Louvre; the|Prado; the|Rijksmuseum; the|Smithsonian;
the|Royal Navy; the|Metropolitan Police; Scotland Yard; the|Sierra Club; the|Alan Turing Institute;
the|Max Planck Society; the|Fraunhofer Society; CERN; the|Pasteur Institute; the|Karolinska Institute
""")

_gaz("TEAM", "ORG", """
Real Madrid; FC Barcelona; Manchester United; Manchester City; Arsenal; Bayern Munich; Juventus;
AC Milan; Ajax; Liverpool FC; the|Chicago Bulls; the|Los Angeles Lakers; the|All Blacks
""", """
Chelsea FC; Tottenham Hotspur; Borussia Dortmund; Inter Milan; PSV Eindhoven; Benfica; FC Porto;
Celtic; Rangers; Galatasaray; Fenerbahçe; Olympiacos; Al Ahly; Kaizer Chiefs; Orlando Pirates;
Enyimba; the|Boston Celtics; the|Golden State Warriors; the|New York Yankees; the|Toronto Raptors;
the|Springboks; the|Wallabies; Atlético Madrid; Napoli; AS Roma; Sporting Lisbon; Boca Juniors;
River Plate; Flamengo; Santos FC; Club América; Feyenoord; Anderlecht; Dinamo Zagreb;
Sparta Prague; Legia Warsaw; Shakhtar Donetsk; Dynamo Kyiv; Urawa Red Diamonds; Kashima Antlers;
Olympique Lyonnais; Olympique de Marseille; AS Monaco; Sevilla FC;
Valencia CF; Athletic Bilbao; Bayer Leverkusen; RB Leipzig; Eintracht Frankfurt; Schalke;
Werder Bremen; Hamburger SV; Lazio; Fiorentina; Atalanta; Red Star Belgrade; Slavia Prague;
Ferencváros; Rapid Vienna; Young Boys; FC Basel; Club Brugge; Rosenborg; Malmö FF; Helsingborg;
Besiktas; Trabzonspor; Zamalek; Esperance; Wydad Casablanca; Hearts of Oak; Asante Kotoko;
Gor Mahia; AFC Leopards; Mamelodi Sundowns; Simba SC; Young Africans; the|Miami Heat;
the|Dallas Cowboys; the|Green Bay Packers; the|Montreal Canadiens; the|Sydney Swans;
the|Melbourne Storm; the|Mumbai Indians; the|Chennai Super Kings; Leinster; Munster; Toulouse;
the|Crusaders; the|Blue Bulls; the|Yomiuri Giants; the|Hanshin Tigers; Ulsan Hyundai
""")

_gaz("UNI", "ORG", """
the|University of Oxford; Harvard University; Stanford University; MIT; the|University of Lagos;
the|University of Nairobi; the|University of Tokyo; Cambridge University
""", """
Sorbonne University; Heidelberg University; ETH Zurich; Trinity College Dublin; Kyoto University;
Peking University; Tsinghua University; the|University of Cape Town; Makerere University;
McGill University; the|University of Toronto; the|University of Melbourne; Yale University;
Princeton University; Columbia University; the|University of Edinburgh; King's College London;
Imperial College London; the|London School of Economics; Charles University;
the|University of Warsaw; Uppsala University; the|University of Bologna;
Delft University of Technology; KU Leuven; Seoul National University; the|University of Ghana;
the|University of Ibadan; Ahmadu Bello University; Cairo University; the|American University of Beirut;
the|University of São Paulo; the|University of Buenos Aires; the|National University of Singapore;
the|University of Sydney; the|Australian National University; the|University of Auckland;
the|University of Vienna; the|University of Helsinki; Lund University; the|University of Copenhagen;
the|Technical University of Munich; Humboldt University; the|Free University of Berlin;
the|University of Amsterdam; Leiden University; Ghent University; the|University of Barcelona;
Complutense University; the|University of Lisbon; Jagiellonian University; Eötvös Loránd University;
the|University of Zagreb; Sapienza University; Bocconi University; Waseda University;
Keio University; Osaka University; Fudan University; Zhejiang University; Yonsei University;
the|Indian Institute of Science; Jawaharlal Nehru University; the|University of Dhaka;
the|University of the Witwatersrand; Stellenbosch University; Addis Ababa University;
the|University of Dar es Salaam; Kwame Nkrumah University; the|University of Chicago;
the|University of Michigan; Cornell University; Duke University; Carnegie Mellon University
""")

_gaz("MEDIA", "ORG", """
the|BBC; CNN; Al Jazeera; Reuters; the|Guardian; the|New York Times; the|Financial Times
""", """
Le Monde; Der Spiegel; El País; the|Economist; Bloomberg; the|Associated Press; Deutsche Welle; NHK;
the|Times of India; the|Daily Nation; the|Sydney Morning Herald; Corriere della Sera; Die Zeit;
Agence France-Presse; Sky News; Euronews; the|Irish Times; the|Globe and Mail; the|Straits Times;
the|South China Morning Post; the|Hindu; Dawn; the|Mail and Guardian; the|Standard; Premium Times;
Channels Television; the|Japan Times; Yonhap; Xinhua; France 24; RAI; ZDF; Radio France;
the|Boston Globe; the|Los Angeles Times; the|Chicago Tribune; the|Telegraph; the|Independent;
the|Scotsman; Frankfurter Allgemeine Zeitung; Süddeutsche Zeitung; La Repubblica; Le Figaro;
Libération; NRC; De Standaard; Aftenposten; Dagens Nyheter; Helsingin Sanomat; Gazeta Wyborcza;
the|Kyiv Independent; Folha de São Paulo; Clarín; El Universal; the|Nation; the|Atlantic
""")

_gaz("NAT", "MISC", """
French; German; Spanish; Italian; Japanese; Chinese; Indian; Nigerian; Kenyan; Egyptian; Brazilian;
Mexican; Canadian; Australian; Russian; Polish; Swedish; Irish; Scottish; English; American;
British; Dutch; Greek; Portuguese; Turkish; Ukrainian; Korean; Ghanaian; South African; European;
African; Asian
""", """
Norwegian; Welsh; Argentine; Chilean; Peruvian; Colombian; Ethiopian; Moroccan; Vietnamese; Thai;
Indonesian; Pakistani; Swiss; Austrian; Belgian; Danish; Finnish; Icelandic; Hungarian; Czech;
Romanian; Bulgarian; Serbian; Croatian; Lebanese; Iranian; Israeli; Cuban; Jamaican; Filipino;
Malaysian; Tanzanian; Ugandan; Senegalese; Cameroonian; Zimbabwean; Scandinavian; Latin American;
Yoruba; Igbo; Hausa; Zulu; Maori; Slovak; Slovenian; Estonian; Latvian; Lithuanian; Georgian;
Armenian; Kazakh; Mongolian; Nepalese; Sri Lankan; Bangladeshi; Afghan; Iraqi; Syrian; Saudi;
Emirati; Qatari; Tunisian; Algerian; Sudanese; Somali; Rwandan; Zambian; Malawian; Namibian;
Venezuelan; Ecuadorian; Bolivian; Uruguayan; Paraguayan; Costa Rican; Haitian; Taiwanese;
Singaporean; Cambodian; Burmese; Tibetan; Bavarian; Catalan; Basque; Sicilian; Texan;
Californian; Flemish; Kurdish; Cornish; Breton; Sami; Inuit; Berber; Maasai; Ashanti
""")

_gaz("LANG", "MISC", """
English; French; Spanish; German; Italian; Portuguese; Japanese; Mandarin; Arabic; Hindi; Russian;
Swahili; Yoruba; Igbo; Turkish; Polish; Dutch; Korean; Greek; Latin
""", """
Cantonese; Urdu; Bengali; Hebrew; Swedish; Hausa; Zulu; Xhosa; Amharic; Vietnamese; Thai; Welsh;
Irish; Finnish; Hungarian; Czech; Tagalog; Persian; Tamil; Catalan; Basque; Norwegian; Danish;
Icelandic; Romanian; Bulgarian; Serbian; Croatian; Ukrainian; Lithuanian; Latvian; Estonian;
Georgian; Armenian; Kurdish; Pashto; Punjabi; Gujarati; Marathi; Telugu; Kannada; Malayalam;
Sinhala; Nepali; Burmese; Khmer; Lao; Malay; Indonesian; Javanese; Maori; Samoan; Somali; Tigrinya;
Oromo; Lingala; Kinyarwanda; Shona; Afrikaans; Esperanto; Sanskrit; Gaelic; Breton; Yiddish
""")

_gaz("EVENT", "MISC", """
the|Olympics; the|Olympic Games; the|World Cup; the|Tour de France; the|Champions League;
the|Summer Olympics; the|Winter Olympics; the|Eurovision Song Contest; World War II
""", """
the|Paralympics; the|Africa Cup of Nations; the|Super Bowl; the|Commonwealth Games;
the|Rugby World Cup; the|Cannes Film Festival; the|Edinburgh Festival; Oktoberfest;
the|Boston Marathon; the|London Marathon; the|Berlin Marathon; the|Australian Open; the|US Open;
the|French Open; the|Ryder Cup; the|Davis Cup; the|Cold War; the|French Revolution;
the|Industrial Revolution; the|Renaissance; World War I; the|Copa América; the|Euro Cup;
the|Asian Games; the|Pan American Games; the|Giro d'Italia; the|Vuelta; the|Dakar Rally;
the|Monaco Grand Prix; the|British Grand Prix; the|Cricket World Cup; the|Six Nations;
the|Tokyo Marathon; the|Venice Biennale; the|Berlin Film Festival; the|Notting Hill Carnival;
the|Rio Carnival; the|Chelsea Flower Show; the|Frankfurt Book Fair; the|Salzburg Festival;
the|Glastonbury Festival; the|Hajj; the|Great Depression; the|Gold Rush; the|Bronze Age;
the|Iron Age; the|Middle Ages; the|Space Race; the|Arab Spring
""")

_gaz("AWARD", "MISC", """
the|Nobel Prize; the|Oscar; the|Ballon d'Or; the|Booker Prize
""", """
the|Pulitzer Prize; the|Fields Medal; the|Turing Award; the|Grammy Award; the|Golden Globe;
the|Palme d'Or; the|Golden Bear; the|Man Booker International Prize; the|Caine Prize;
the|Goncourt Prize; the|Abel Prize; the|Pritzker Prize; the|Victoria Cross; the|Nobel Peace Prize;
the|Wolf Prize; the|Kyoto Prize; the|Laureus Award; the|Carnegie Medal; the|Stirling Prize
""")

# Slots that pick one of several gazetteer slots.
ENTITY_UNIONS = {
    "PLACE": ("CITY", "CITY", "COUNTRY", "REGION"),
    "LOC": ("CITY", "COUNTRY", "REGION", "RIVER", "MOUNTAIN", "LANDMARK"),
    "ANYORG": ("COMPANY", "ORG", "UNI", "MEDIA"),
}

# ---------------------------------------------------------------------------------------------
# Ordinary words for the O slots (hand-written; the wordfreq lists add thousands more).
# ---------------------------------------------------------------------------------------------

WORDS: dict[str, list[str]] = {
    "noun": _items("""
book; table; window; door; chair; bag; phone; laptop; ticket; letter; key; map; bottle; cup; box;
picture; song; film; game; plan; idea; question; answer; problem; story; report; meeting; party; trip;
holiday; road; bridge; garden; house; flat; kitchen; office; shop; market; school; hospital; station;
airport; library; museum; park; beach; forest; field; farm; village; town; car; bus; train; bike;
boat; plane; ship; engine; computer; camera; clock; lamp; bed; sofa; shelf; carpet; wall; roof;
tree; flower; leaf; stone; hill; lake; sea; sky; cloud; wind; storm; sun; moon; star; fire; water;
bread; cheese; soup; rice; coffee; tea; milk; juice; cake; sandwich; salad; dinner; lunch; breakfast;
music; concert; festival; match; race; goal; prize; medal; exam; lesson; homework; essay; project;
class; course; degree; job; salary; price; tax; budget; profit; loss; factory; machine; tool;
product; service; contract; deal; law; rule; court; vote; election; army; crowd; protest; speech;
interview; article; newspaper; magazine; novel; poem; painting; statue; building; tower; castle;
church; temple; square; street; corner; queue; parcel; package; message; email; password; website;
screen; keyboard; battery; charger; umbrella; jacket; coat; shirt; shoe; hat; scarf; glove; wallet;
coin; pen; pencil; notebook; ruler; backpack; desk; blackboard; uniform; experiment; microscope;
result; theory; discovery; invention; vaccine; medicine; nurse; patient; accident; injury; fever;
headache; appointment; birthday; wedding; anniversary; gift; present; surprise; secret; joke; dream;
memory; habit; hobby; weekend; morning; evening; afternoon; night; week; year; century; season;
summer; winter; autumn; spring; moment; minute; hour; decade; neighbourhood; community; family;
friend; guest; visitor; tourist; stranger; audience; owner; customer; driver; passenger; player;
fan; referee; journey; flight; passport; visa; suitcase; hotel; hostel; campsite; tent; island;
valley; desert; coast; harbour; port; border; mountain; path; trail; tunnel; traffic; delay; strike;
schedule; calendar; deadline; invoice; receipt; discount; sale; bargain; loan; mortgage; account;
card; cash; fridge; oven; kettle; sink; towel; blanket; pillow; candle; mirror; bucket; ladder;
hammer; drill; rope; fence; gate; garage; balcony; chimney; staircase; lift; basement; attic;
puzzle; riddle; recipe; menu; bill; tip; fine; penalty; corner kick; timetable; playground;
classroom; teacher; student; headline; weather; forecast; temperature; flood; drought; harvest;
crop; wheat; cotton; steel; plastic; glass; paper; wood; metal; gold; silver; diamond; oil; gas;
electricity; energy; network; signal; satellite; rocket; robot; engineer; program; software;
update; download; upload; printer; scanner; cable; socket; bulb; switch; fan heater; radiator;
heater; ceiling; floor; corridor; hall; stage; curtain; ticket office; platform; runway; terminal;
luggage; souvenir; postcard; stamp; envelope; diary; album; guitar; piano; violin; drum; trumpet;
choir; orchestra; opera; ballet; theatre; cinema; comedy; drama; documentary; cartoon; episode;
series; chapter; page; paragraph; sentence; word; letterbox; neighbour; colleague; manager; boss;
volunteer; charity; donation; campaign; petition; committee; council; mayor; minister; president;
senator; judge; lawyer; witness; suspect; prisoner; detective; mystery; clue; alibi; verdict
"""),
    "adj": _items("""
new; old; big; small; long; short; young; good; bad; great; little; happy; sad; angry; tired; busy;
quiet; loud; cheap; expensive; modern; ancient; famous; strange; beautiful; ugly; warm; cold; hot;
cool; wet; dry; dark; bright; heavy; light; fast; slow; easy; difficult; hard; soft; clean; dirty;
empty; full; fresh; rich; poor; strong; weak; safe; dangerous; friendly; kind; honest; polite; rude;
brave; clever; funny; serious; simple; complex; huge; tiny; narrow; wide; deep; shallow; sweet; sour;
bitter; salty; spicy; delicious; tasty; healthy; sick; lovely; wonderful; terrible; awful; excellent;
amazing; boring; exciting; interesting; important; popular; useful; useless; careful; careless;
lucky; unlucky; quick; gentle; proud; nervous; calm; curious; patient; lazy; hungry; thirsty; sleepy;
noisy; crowded; peaceful; colourful; red; blue; yellow; grey; pink; purple; orange; golden;
wooden; local; national; international; public; private; official; final; main; major; minor;
recent; early; late; next; previous; annual; daily; weekly; rare; common; unusual; normal; special;
perfect; fair; unfair; free; open; closed; real; fake; true; false; whole; sudden; remote; rural;
urban; coastal; northern; southern; eastern; western; central; digital; electric; solar; favourite;
historic; tall; thin; smooth; rough; sharp; blunt; shiny; cosy; messy; tidy; odd; fancy; plain;
fierce; shy; generous; cheerful; gloomy; grateful; jealous; anxious; confident; cautious; eager;
stubborn; clumsy; elegant; fragile; sturdy; enormous; massive; modest; humble; handsome; pretty;
gorgeous; horrible; pleasant; unpleasant; comfortable; uncomfortable; reliable; ordinary; brilliant;
dull; sensible; silly; weird; wild; frozen; rainy; sunny; windy; cloudy; foggy; snowy; stormy
"""),
    "adv": _items("""
quickly; slowly; carefully; quietly; loudly; happily; sadly; suddenly; finally; already; almost;
always; never; often; rarely; usually; really; well; badly; easily; clearly; honestly; politely;
proudly; calmly; nervously; gently; warmly; kindly; bravely; early; together; alone; again; soon;
recently; probably; certainly; perhaps; luckily; surprisingly; barely; hardly; nearly; quite;
rather; simply; truly; seriously; eagerly; patiently; secretly; openly; strongly; poorly; brilliantly
"""),
    "verbed": _items("""
visited; called; helped; watched; opened; closed; painted; cleaned; fixed; ordered; booked; cooked;
baked; played; finished; started; answered; asked; explained; described; wrote; bought; sold; found;
lost; built; broke; carried; brought; sent; received; designed; planned; changed; checked; counted;
crossed; delivered; discussed; dropped; enjoyed; filled; followed; liked; loved; moved; needed;
packed; picked; printed; pulled; pushed; repaired; returned; shared; signed; studied; tested;
touched; tried; used; wanted; washed; drew; drove; ate; forgot; gave; held; kept; left; made; paid;
ran; showed; sang; spent; taught; took; threw; understood; won; wore; chose; caught; heard; hid;
borrowed; collected; copied; decorated; emptied; folded; hung; invented; judged; knitted; locked;
measured; noticed; photographed; polished; recorded; rescued; sketched; tasted; translated;
unpacked; wrapped
"""),
    "subject": _items("""
mathematics; maths; physics; chemistry; biology; history; geography; literature; music; art;
economics; philosophy; psychology; sociology; computer science; engineering; medicine; law; drama;
linguistics; statistics; astronomy; geology; architecture; nursing; accounting; design; politics;
social studies; media studies; religious studies; business studies; ecology; genetics; algebra;
geometry; calculus; journalism; anthropology; archaeology; veterinary science; physical education
"""),
    "food": _items("""
bread; rice; pasta; soup; cheese; chocolate; coffee; tea; fish; chicken; beef; salad; pizza;
noodles; dumplings; sushi; curry; pancakes; honey; butter; eggs; bananas; oranges; pears; grapes;
strawberries; cherries; lemons; tomatoes; potatoes; onions; carrots; beans; lentils; yoghurt;
ice cream; biscuits; cake; pie; jam; porridge; cereal; sandwiches; couscous; jollof rice; plantains;
kimchi; tacos; olives; mangoes; pineapples; peanuts; lamb; tofu; mushrooms; spinach; garlic;
cucumbers; peppers; figs; dates; walnuts; almonds; cookies; muffins; croissants; waffles
"""),
    "job": _items("""
teacher; doctor; nurse; engineer; farmer; driver; lawyer; journalist; scientist; cook; chef; baker;
waiter; pilot; dentist; plumber; electrician; architect; artist; musician; writer; singer; actor;
student; programmer; designer; accountant; cleaner; mechanic; photographer; librarian; pharmacist;
police officer; firefighter; soldier; carpenter; tailor; shopkeeper; translator; vet; gardener;
receptionist; manager; nurse; surgeon; midwife; postman; barber; butcher; fisherman; sailor
"""),
    "relative": _items("""
mother; father; sister; brother; aunt; uncle; cousin; grandmother; grandfather; daughter; son; wife;
husband; niece; nephew; friend; neighbour; colleague; flatmate; partner; grandson; granddaughter;
mum; dad; grandma; grandpa; stepbrother; stepsister; godmother; godfather; classmate; roommate
"""),
    "thing": _items("""
umbrella; laptop; bicycle; book; camera; phone; key; wallet; jacket; guitar; backpack; charger;
watch; notebook; lamp; ladder; suitcase; scarf; hat; tablet; drill; kettle; pen; calculator;
headphones; blender; toaster; tent; sleeping bag; helmet; skateboard; football; chessboard;
microwave; vacuum cleaner; sewing machine; radio; printer; bookshelf; rucksack; torch; compass
"""),
    "animal": _items("""
dog; cat; rabbit; parrot; horse; goat; hamster; tortoise; snake; cow; sheep; duck; fox; owl; eagle;
lion; elephant; giraffe; monkey; dolphin; wolf; deer; frog; goldfish; pigeon; crocodile; zebra;
camel; donkey; pony; chicken; goose; lizard; hedgehog; squirrel; tiger; penguin; kangaroo; panda
"""),
    "place": _items("""
park; library; café; bakery; gym; pool; market; station; cinema; theatre; museum; hospital;
pharmacy; supermarket; post office; bank; restaurant; school; office; playground; stadium; church;
mosque; temple; airport; bus stop; beach; zoo; garden centre; bookshop; swimming pool; sports hall;
town hall; corner shop; petrol station; car park; train station; ice rink; bowling alley
"""),
    "sport": _items("""
football; tennis; basketball; volleyball; cricket; rugby; hockey; swimming; cycling; running; golf;
badminton; table tennis; chess; handball; baseball; boxing; judo; karate; skiing; athletics; rowing
"""),
    "day": _items("Monday; Tuesday; Wednesday; Thursday; Friday; Saturday; Sunday"),
    "days": _items("Mondays; Tuesdays; Wednesdays; Thursdays; Fridays; Saturdays; Sundays"),
    "month": _items("""
January; February; March; April; June; July; August; September; October; November; December
"""),
    "title": _items("Dr.; Mr.; Mrs.; Ms.; Mr; Mrs; Dr; Professor; Prof.; Miss; Sir; Dame"),
    # Subject pronouns: "pron" agrees with a past-tense verb, "pron3" with "-s", "pronpl" with the base form.
    "pron": _items("he; she; they; we; you; I; he; she"),
    "pron3": _items("he; she"),
    "pronpl": _items("they; we; you; I"),
    # People who act for an organisation: "{COMPANY} {staff}" keeps the company ORG before an O noun.
    "staff": _items("""
representatives; executives; officials; engineers; lawyers; managers; staff; delegates; investors;
analysts; negotiators; researchers; designers; spokespeople; directors; employees; workers; partners;
recruiters; accountants; consultants; suppliers; salespeople; technicians; board members; bosses;
scientists; programmers; auditors; inspectors; drivers; pilots; volunteers; fans; customers; users
"""),
    "orgnoun": _items("""
company; carmaker; bank; airline; retailer; firm; start-up; brewery; supermarket chain; insurer;
telecoms group; game maker; software company; chip maker; steel maker; drug maker; publisher;
fashion brand; energy group; shipping company; toy maker; food giant
"""),
    # Lowercase common nouns after "at"/"in" without an article: never a place name.
    "at_place": _items("""
university; school; college; work; home; church; night school; primary school; secondary school;
kindergarten; high school; medical school; law school; art school; boarding school; the office;
the gym; the weekend; lunchtime; breakfast; dinner; midnight; noon; sea; court; camp; the moment
"""),
    "in_place": _items("""
hospital; bed; class; town; prison; court; public; private; school; college; person; advance;
time; silence; secret; a hurry; trouble; danger; love; practice; theory; general; particular;
the morning; the evening; the garden; the kitchen; the rain; the snow; the dark; the sun
"""),
    # Nature words after "the": lowercase, O ("plastic in the ocean").
    "nature": _items("""
ocean; sea; sky; river; forest; mountains; desert; countryside; city; jungle; hills; valley; lake;
woods; park; garden; air; soil; north; south; east; west; rainforest; wild; snow; fields; bay;
harbour; island; ice; clouds; waves; rivers; oceans; streets; suburbs
"""),
    "compass": _items("""
northern; southern; eastern; western; central; north-eastern; south-western; north-western;
south-eastern; rural; coastal; remote; upper; lower
"""),
    "stage": _items("""
semi-final; quarter-final; final; group stage; second round; first round; last sixteen; play-offs;
opening match; third-place match; semi-finals; quarter-finals
"""),
    "season": _items("spring; summer; autumn; winter; rainy season; dry season; holidays"),
    "opener": _items("""
Yesterday,; This morning,; Last week,; Apparently,; Meanwhile,; According to my sister,;
Honestly,; On {day},; In {month},; Two years ago,; Believe it or not,; As usual,; Later that day,
"""),
}

_IRREGULAR_PLURALS = {"leaf": "leaves", "shelf": "shelves", "wolf": "wolves", "scarf": "scarves",
                      "knife": "knives", "child": "children", "person": "people", "sheep": "sheep",
                      "deer": "deer", "goose": "geese", "fish": "fish", "mouse": "mice",
                      "potato": "potatoes", "tomato": "tomatoes", "hero": "heroes"}


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


WORDS["nouns"] = [_plural(word) for word in WORDS["noun"]]
WORDS["animals"] = [_plural(word) for word in WORDS["animal"]]

# ---------------------------------------------------------------------------------------------
# Sentence frames. {UPPER} slots are entities, {lower} slots are O words, [text|TYPE] is an entity
# written into the frame, {a:slot} puts "a"/"an" before the word.
# ---------------------------------------------------------------------------------------------

FRAMES: dict[str, list[str]] = {
    "news": _lines("""
{PER} was elected mayor of {CITY} on {day}.
Police in {CITY} said {num} people were hurt in the {noun}.
The {NAT} government announced a new plan for {REGION}.
{ANYORG} warned that the {noun} in {COUNTRY} could get worse.
According to {MEDIA}, {PER} will visit {COUNTRY} in {month}.
Heavy rain flooded parts of {CITY} last night.
The {adj} {noun} was {verbed} by the council last week.
Prices of {nouns} rose again this month.
{TITLED} told reporters that the {noun} was {adj}.
Thousands of people marched through {CITY} on {day} to protest against the {noun}.
The prime minister of {COUNTRY}, {FULL}, met {ORG} officials in {CITY}.
{a:adj} earthquake hit {REGION} early this morning.
{FULL}, {a:job} from {CITY}, was named {NAT} citizen of the year.
Officials from {ORG} arrived in {COUNTRY} to discuss the {noun}.
The {noun} in {CITY} was closed after a fire on {day}.
Speaking in {LANG}, {PER} thanked the people of {COUNTRY}.
{MEDIA} reported that {COMPANY} will cut {num} jobs in {COUNTRY}.
Voters in {REGION} go to the polls on {day}.
"We are {adj} and {adj}," {PER} said after the meeting in {CITY}.
The {NAT} ambassador to {COUNTRY} was called in on {day}.
Firefighters from {CITY} spent the night fighting a fire near {MOUNTAIN}.
A report by {ORG} says {COUNTRY} has {adv} improved its {noun}.
{PER} has been named the new head of {ANYORG}.
Snow closed the roads between {CITY} and {CITY} for {small} hours.
The president of {COUNTRY} will attend {EVENT} next year.
Scientists at {UNI} found that the {noun} was older than expected.
In {year}, {PER} moved from {COUNTRY} to {CITY}.
The water level of {RIVER} rose {num} centimetres overnight.
Residents of {STREET} complained about the {noun} on {day}.
The mayor of {CITY}, {TITLED}, opened a new {place} on {day}.
{FULL} was arrested in {CITY} on {day} and released the next morning.
Journalists from {MEDIA} and {MEDIA} were at the meeting.
The {adj} storm is expected to reach {REGION} by {day}.
{ORG} sent {num} tonnes of food to {COUNTRY}.
{PER} won {AWARD} for her work on the {noun}.
The court in {CITY} ruled that {COMPANY} must pay a fine.
Last {day}, {PER} spoke to students about the {noun}.
Protesters gathered outside the offices of {MEDIA} in {CITY}.
The minister, {FULL}, resigned on {day} after the {noun}.
Our reporter {FULL} is in {CITY} with the latest news.
{a:adj} bridge over {RIVER} will open in {month}.
{COUNTRY} and {COUNTRY} signed a trade deal in {CITY} on {day}.
Hundreds of {NAT} tourists were stranded at the airport in {CITY}.
{ORG} said the {noun} in {REGION} is under control.
Who will replace {PER} as leader of {ORG}?
The police chief, {TITLED}, asked people in {CITY} to stay at home.
Election results from {REGION} are expected on {day} night.
{PER} and {PER} led the march from {LANDMARK} to {LANDMARK}.
It was the coldest winter in {COUNTRY} since {year}.
Breaking news: {COMPANY} has agreed to buy {COMPANY}.
{num} people died in floods in {COUNTRY} this week, {ORG} said.
Officials in {CITY} {verbed} the {noun} on {day}.
{FULL} called the decision {adj} and promised to fight it.
The {NAT} foreign minister, {FULL}, flew to {CITY} for talks.
Is {COUNTRY} ready for {EVENT}?
"""),
    "pronoun": _lines("""
{pron} met with {COMPANY} {staff} on {day}.
{pron} had lunch with two {COMPANY} {staff} in {CITY}.
{pron} spoke to {ORG} {staff} about the {noun}.
{pron3} works for {COMPANY} in {CITY} now.
{pron3} works at {UNI} and lives in {CITY}.
{pron} interviewed {FULL} for {MEDIA} last week.
{pron} read about {COMPANY} in {MEDIA} this morning.
{pron} flew to {COUNTRY} with {COMPANY} on {day}.
{pron} visited {LANDMARK} with {FIRST} last {month}.
{pron} bought {a:thing} from {COMPANY} for {num} euros.
{pron} grew up in {compass} {COUNTRY}.
{pron} watched {EVENT} on television with {FIRST}.
{pronpl} speak {LANG} at home and {LANG} at work.
{pron} called {PER} from {CITY} on {day}.
{pron} told {FIRST} that {COMPANY} was hiring {staff}.
{pron} moved to {CITY} to work for {ORG}.
{pron} saw {PER} outside {LANDMARK} on {day}.
{pron} applied to {UNI} and {UNI}.
{pron} cheered for {COUNTRY} during {EVENT}.
{pron} took the night train from {CITY} to {CITY}.
{pron} sent a parcel to {FIRST} in {COUNTRY}.
{pron} waited for {FULL} at the {place}.
{pron} {adv} {verbed} the {noun} for {PER}.
{pron} {verbed} the {adj} {noun} at {at_place}.
{pron3} was in {in_place} when {FIRST} called.
{pron} left {at_place} early and went to see {PER}.
{pron3} teaches {subject} at {at_place} in {CITY}.
{pron} learned {subject} at {at_place} with {FIRST}.
{pron} found {nouns} in the {nature} near {CITY}.
{pron} swam in the {nature} every morning in {REGION}.
{pron} signed a contract with {COMPANY} {staff} in {CITY}.
{pron} negotiated with {ANYORG} {staff} for {small} hours.
{pron} joined {COMPANY} as {a:job} in {year}.
{pron} invited {COMPANY} {staff} to the {noun}.
It rained in {CITY} all {day}.
It was {adj} and {adj} in {REGION} last week.
It took {small} hours to drive from {CITY} to {CITY}.
It is a long way from {CITY} to {MOUNTAIN}.
They played against {TEAM} on {day} and lost {score}.
We stayed near {LANDMARK} for {small} nights.
You can see {MOUNTAIN} from the hotel in {CITY}.
They donated {num} euros to {ORG}.
{pron3} and {FIRST} visited {CITY} together.
{pron3} says {COMPANY} {staff} are {adj}.
{pron} heard the news about {COUNTRY} on {MEDIA}.
{pron} met {FULL} and {FULL} at {EVENT}.
{pron} asked {TITLED} about the {noun}.
{pron} lost {a:thing} in {CITY} and found it in {CITY}.
{pron} ordered {food} from a {NAT} restaurant on {STREET}.
{pron} wrote to {ORG} about the {noun} in {compass} {REGION}.
{pron} answered in {LANG} and then in {LANG}.
{pron} translated the letter from {LANG} into {LANG}.
{pron3} plays {sport} for {TEAM} and {COUNTRY}.
{pron} worked with {COMPANY} {staff} in {COUNTRY} for {small} years.
{pron} drove {FIRST} to the airport in {CITY}.
{pron3} is {adj} about the {noun} at {COMPANY}.
They said {COMPANY} {staff} would visit {CITY} on {day}.
We bought {food} in {CITY} and ate it by {RIVER}.
You should ask {FIRST} about {COUNTRY}.
{pron} went to {at_place} with {FIRST} on {day}.
"""),
    "world": _lines("""
{COUNTRY} borders {COUNTRY} to the north and {COUNTRY} to the south.
{COUNTRY} exports {food} and {nouns} to {COUNTRY}.
{COUNTRY} and {COUNTRY} have traded with each other for centuries.
{COUNTRY} lies between {COUNTRY} and {COUNTRY}.
{COUNTRY} closed its border with {COUNTRY} on {day}.
{COUNTRY} has a coast on {RIVER}.
{COUNTRY} signed a peace agreement with {COUNTRY} in {year}.
{COUNTRY} is larger than {COUNTRY} but has fewer people.
{COUNTRY} qualified for {EVENT} after beating {COUNTRY} {score}.
{COUNTRY} were knocked out in the {stage}.
{COUNTRY} lost the {stage} to {COUNTRY} on penalties.
{COUNTRY} will face {COUNTRY} in the {stage} of {EVENT}.
{COUNTRY} won {small} medals at {EVENT}.
{NAT} fans celebrated in {CITY} after {COUNTRY} won the {stage}.
The {NAT} team lost to {COUNTRY} in the {stage}.
{COUNTRY} hosted {EVENT} in {year}.
{COUNTRY} played {adv} in the {stage} against {COUNTRY}.
{PER} finished second in a stage of {EVENT}.
Millions watched the opening ceremony of {EVENT}.
{CITY} will host {EVENT} in {year}.
{PER} won silver at {EVENT} in {CITY}.
Tickets for {EVENT} in {CITY} sold out in {small} minutes.
{PER} trained for {small} years for {EVENT}.
The {noun} at {EVENT} was {adj}.
{TEAM} reached the {stage} of {EVENT} for the first time.
{EVENT} was shown live on {MEDIA}.
{PER} carried the {NAT} flag at {EVENT}.
{NAT} cyclists did well in {EVENT} this year.
She won a bronze medal in the {sport} at {EVENT}.
{LANDMARK} was closed to visitors on {day}.
{LANDMARK} attracts millions of tourists every year.
{LANDMARK} was lit up in {adj} colours for {EVENT}.
{LANDMARK} looks {adj} at night.
{LANDMARK} was built in {year}.
Crowds gathered at {LANDMARK} on {day}.
{PER} proposed to {FIRST} at the top of {LANDMARK}.
{LANDMARK} reopened after {small} months of repairs.
{ORG} sent {nouns} to {compass} {COUNTRY}.
{ORG} built {num} new {nouns} in {compass} {REGION}.
{ORG} opened {a:adj} office in {CITY}.
{ORG} gave {num} million dollars to {COUNTRY}.
{ORG} trained {num} nurses in {REGION}.
{ORG} called for calm in {CITY}.
{ORG} delivered {nouns} to villages in {compass} {COUNTRY}.
{ORG} warned about {nouns} in the {nature}.
{ORG} {verbed} the {noun} in {COUNTRY} last {month}.
{COMPANY} donated {nouns} to schools in {CITY}.
{UNI} launched a new course in {subject}.
{MEDIA} published a story about {PER} on {day}.
I saw a report on {MEDIA} about {nouns} in the {nature}.
An article in {MEDIA} said that {COMPANY} was in trouble.
{PER} writes a weekly column for {MEDIA}.
The editor of {MEDIA}, {FULL}, resigned on {day}.
Have you seen the interview in {MEDIA} with {FULL}?
The {NAT} {orgnoun} {COMPANY} opened a store in {CITY}.
{COMPANY}, the {NAT} {orgnoun}, hired {num} people last year.
Shares in the {NAT} {orgnoun} {COMPANY} rose on {day}.
{NAT} {orgnoun} {COMPANY} reported a loss in {month}.
The {NAT} {staff} arrived in {CITY} on {day}.
The {NAT} {orgnoun} is building a factory in {COUNTRY}.
Heavy rain hit {compass} {COUNTRY} on {day}.
The village lies in {compass} {REGION}, near {CITY}.
Fighting broke out in {compass} {COUNTRY} last {month}.
{CITY} gets very {adj} in {month}.
{CITY} looks {adj} in the {season}.
{CITY} is {adj} at this time of year.
In the {season}, {CITY} is full of tourists.
{CITY} was {adj} and {adj} when we arrived.
{REGION} is {adj} in the {season}.
{LANG} is spoken in {COUNTRY} and parts of {COUNTRY}.
{PER} taught {LANG} in {CITY} for {small} years.
Is {LANG} harder to learn than {LANG}?
The sign was written in {LANG}, {LANG} and {LANG}.
{FULL} grew up speaking {LANG} and {LANG}.
My {relative} can read {LANG} but not {LANG}.
{NAT} and {NAT} players shared the prize.
The {NAT} {job} {FULL} opened a school in {CITY}.
The {NAT} and {NAT} ministers met in {CITY}.
{ANYORG} {staff} visited {CITY} on {day}.
{COMPANY} {staff} met {ORG} officials in {CITY}.
Plastic in the {nature} is a problem, {ORG} says.
"""),
    "mixed": _lines("""
{PER} has been at {TEAM} for {small} seasons.
{TEAM} beat {TEAM} {score} in front of {num} thousand fans in {CITY}.
{FULL} moved from {TEAM} to {TEAM} in {month}.
The {NAT} striker {FULL} scored for {TEAM} on {day}.
{TEAM} supporters travelled to {CITY} for the {stage}.
{PER} made her debut for {COUNTRY} against {COUNTRY}.
{TEAM} are top of the league after beating {TEAM}.
{FULL}, who plays for {TEAM}, was injured in {CITY}.
{TEAM} play their home games in {CITY}.
{TEAM} announced that {FULL} is their new coach.
{COMPANY} has {num} stores in {COUNTRY}.
{FULL} sold her start-up to {COMPANY} for {num} million.
{COMPANY} and {UNI} will build a lab in {CITY}.
{COMPANY} is looking for {staff} in {CITY}.
{COMPANY} said its profits fell in {REGION}.
The boss of {COMPANY}, {FULL}, visited {CITY} on {day}.
{COMPANY} {staff} flew to {COUNTRY} to meet {COMPANY}.
Customers of {COMPANY} in {COUNTRY} lost access to their accounts.
{FULL} sang at {LANDMARK} in {month}.
The new film by {FULL} is set in {CITY} during {EVENT}.
{FULL} translated the novel into {LANG}.
{MEDIA} called the album by {FULL} {adj}.
{FULL} was born in {CITY} and studied at {UNI}.
The {NAT} artist {FULL} showed her work at {ORG}.
{FULL}'s paintings hang in museums in {CITY} and {CITY}.
{FULL} told {MEDIA} that {ORG} would help.
{ORG} and {COUNTRY} agreed on a plan for {REGION}.
{FULL} represented {COUNTRY} at {ORG}.
Leaders from {COUNTRY} and {COUNTRY} met at the {ORG} offices in {CITY}.
{FIRST} wants to study at {UNI} like her {relative}.
My {relative} works for {ORG} in {CITY}.
{FIRST} is visiting {LANDMARK} with her class from {CITY}.
We practised {LANG} with {FIRST} from {COUNTRY}.
{PER} lives on {STREET}, not far from {LANDMARK}.
The {adj} {noun} from {COMPANY} arrived in {CITY} on {day}.
{PER} left {COUNTRY} for {COUNTRY} when she was {small}.
{FULL} and {COMPANY} could not agree on a price.
Both {UNI} and {ORG} sent {staff} to {CITY}.
{CITY} and {CITY} are linked by a fast train.
{MEDIA} sent {FULL} to cover {EVENT} in {CITY}.
{NAT} farmers sell {food} to {COMPANY}.
{PER} thinks {TEAM} will win {EVENT}.
"""),
    "travel": _lines("""
We flew from {CITY} to {CITY} on {day}.
My {relative} and I spent {small} days in {COUNTRY} last {month}.
The train from {CITY} to {CITY} takes about {small} hours.
Have you ever been to {CITY}?
{PER} took us on a tour of {LANDMARK}.
The best time to visit {REGION} is in {month}.
Our hotel was on {STREET}, close to {LANDMARK}.
I would love to climb {MOUNTAIN} one day.
{PER} booked a flight to {COUNTRY} with {COMPANY}.
From the window we could see {RIVER} and the {adj} hills.
The guide, {PER}, spoke {LANG}, {LANG} and a little {LANG}.
We took a boat along {RIVER} to {CITY}.
{CITY} is famous for its {adj} {nouns}.
After {small} hours on the bus we finally reached {CITY}.
Is it cold in {COUNTRY} in {month}?
The museum in {CITY} is closed on {days}.
{FULL} runs a small {place} near {LANDMARK}.
We rented bikes in {CITY} and rode to the coast.
The {NAT} border was busy, so we waited for {small} hours.
Last summer {PER} hiked across {REGION} with friends from {COUNTRY}.
Don't forget your passport when you travel to {COUNTRY}.
The flight to {CITY} was delayed because of {adj} weather.
She sent me a postcard from {CITY} with a picture of {LANDMARK}.
Tickets for the tour of {REGION} cost {num} euros.
In {CITY}, people usually speak {LANG}.
{PER} met {PER} at the station in {CITY}.
The view from {MOUNTAIN} was {adj}.
Our cousins live in a village north of {CITY}.
Next {month} we are driving from {COUNTRY} to {COUNTRY}.
Which is bigger, {CITY} or {CITY}?
We stayed with {a:NAT} family in {CITY}.
The ferry to {REGION} leaves every {day} at {hour} o'clock.
I lost my {thing} somewhere between {CITY} and {CITY}.
{PER} recommended {a:adj} restaurant on {STREET}.
On the map, {RIVER} runs through {CITY}.
Many visitors to {COUNTRY} never leave {CITY}.
The road to {MOUNTAIN} was closed for the winter.
We watched the sunset over {RIVER} with {PER}.
He has lived in {CITY}, {CITY} and {CITY}.
The campsite near {LANDMARK} was full, so we slept in the car.
My {relative} works as {a:job} in {REGION}.
The cheapest way to get to {CITY} is by train.
Visitors from {COUNTRY} do not need a visa for {COUNTRY}.
We arrived in {CITY} late on {day} evening.
{CITY} was {adj}, but {CITY} was even better.
Can you recommend a hotel in {CITY}?
Welcome to {CITY}!
Take the second street on the left after {LANDMARK}.
{FIRST} and I drove along the coast of {REGION} for a week.
How far is {CITY} from {CITY}?
The night bus to {CITY} was full of {NAT} students.
"""),
    "sport": _lines("""
{PER} scored twice as {TEAM} beat {TEAM} {score}.
{TEAM} signed {FULL} from {TEAM} for {num} million euros.
{PER} won the gold medal at {EVENT}.
The {NAT} runner {FULL} set a new record in {CITY}.
{TEAM} will play {TEAM} in {CITY} on {day}.
Coach {LAST} was happy with the {adj} defence.
{PER} finished third in {EVENT}.
After the match, {PER} thanked the fans in {CITY}.
{COUNTRY} beat {COUNTRY} in the final of {EVENT}.
{FULL} has played for {TEAM} since {year}.
The {sport} season starts in {month}.
{PER} broke a leg during training in {CITY}.
{TEAM} fans celebrated in the streets of {CITY} all night.
Who do you think will win {EVENT}, {COUNTRY} or {COUNTRY}?
{PER} passed to {PER}, who scored in the last minute.
The stadium in {CITY} holds {num} thousand people.
{NAT} swimmer {FULL} won {num} medals in {CITY}.
{TEAM} lost {score} to {TEAM} on {day} night.
{PER} plays {sport} on {days} with friends from school.
{EVENT} will be held in {CITY} in {year}.
The referee, {FULL}, sent off {PER} after {num} minutes.
{PER} said the team had played {adv} against {TEAM}.
{TEAM} have not won at home since {month}.
{FULL} is the best goalkeeper in the history of {TEAM}.
Tickets for the game between {TEAM} and {TEAM} sold out in an hour.
{PER} cycled {num} kilometres through {REGION} in one day.
The marathon runners crossed {RIVER} twice.
{ORG} fined {TEAM} for the behaviour of its fans.
My {relative} took me to see {TEAM} play in {CITY}.
{PER} is the first {NAT} player to win {AWARD}.
The {sport} club in our town was founded by {FULL}.
{PER} and {PER} will meet in the final on {day}.
After {small} years at {TEAM}, {PER} is moving to {COUNTRY}.
Our {sport} team trains near {LANDMARK}.
Coach {FULL} trained the {NAT} team for {small} years.
The race started in {CITY} and finished at {LANDMARK}.
{PER} wants to play for {COUNTRY} at {EVENT}.
Fans of {TEAM} waited for hours outside the hotel.
{FULL} retired from {sport} at the age of {num}.
{COUNTRY} has never won {EVENT}.
In the second half, {PER} hit the post twice.
The {adj} young striker {FULL} joined {TEAM} in {month}.
{PER} ran the last {num} metres in tears.
Training was cancelled on {day} because of the {adj} weather.
{TEAM} and {TEAM} drew {score} in {a:adj} game.
Did you watch {PER} play against {TEAM} last night?
Captain {LAST} lifted the trophy in front of {num} thousand fans.
"""),
    "business": _lines("""
{COMPANY} opened a new office in {CITY}.
The {adj} {noun} helped the company sell more {nouns}.
Shares in {COMPANY} fell {num} percent on {day}.
{FULL}, the chief executive of {COMPANY}, will step down in {month}.
{COMPANY} and {COMPANY} are working on a new {noun}.
The {NAT} company {COMPANY} reported record profits.
{COMPANY} plans to hire {num} engineers in {COUNTRY}.
{PER} started {COMPANY} in a garage in {CITY}.
The price of {food} rose sharply in {COUNTRY} this year.
{COMPANY} is building a factory near {CITY}.
Investors in {CITY} were worried about the {noun}.
{ORG} expects the economy of {COUNTRY} to grow by {num} percent.
A spokesperson for {COMPANY}, {FULL}, declined to comment.
{COMPANY} bought {a:adj} startup from {CITY} for {num} million dollars.
Workers at the {COMPANY} plant in {CITY} went on strike on {day}.
{PER} works in marketing at {COMPANY}.
The central bank of {COUNTRY} raised interest rates again.
{COMPANY} sells its {nouns} in more than {num} countries.
Sales of {COMPANY} phones dropped in {REGION}.
{TITLED} joined the board of {COMPANY} last {month}.
{COMPANY} moved its headquarters from {CITY} to {CITY}.
The deal between {COMPANY} and {ORG} was signed in {CITY}.
According to {MEDIA}, {COMPANY} lost {num} billion dollars.
{FULL} founded the company with {PER} in {year}.
My {relative} got a job at {COMPANY} in {CITY}.
{COMPANY} is recalling {num} thousand cars sold in {COUNTRY}.
The {adj} market in {CITY} opens at {hour} o'clock every {day}.
{COMPANY} has been fined by {ORG} for breaking the rules.
Small shops on {STREET} are struggling to pay the rent.
{PER} invested all her savings in {COMPANY}.
Profits at {COMPANY} doubled after the launch of its {adj} {noun}.
The annual meeting of {COMPANY} will be held in {CITY} on {day}.
{COMPANY} announced that {FULL} will lead its office in {COUNTRY}.
Why did {COMPANY} close its stores in {COUNTRY}?
{COMPANY} and {COMPANY} agreed to share their {nouns}.
Tourism brings {num} billion euros a year to {REGION}.
{PER} sold the family {noun} to {COMPANY} in {year}.
Job seekers queued outside the {COMPANY} office on {STREET}.
The new {COMPANY} store on {STREET} opens on {day}.
{COMPANY} ships {nouns} from {CITY} to the rest of {COUNTRY}.
Analysts at {COMPANY} expect {adj} growth in {REGION}.
{FULL} left {COMPANY} to start {a:adj} business in {CITY}.
The {NAT} economy grew faster than expected in {month}.
Coffee prices hit a record high on {day}.
{COMPANY} {verbed} its {nouns} after complaints from customers.
I applied for a job at {COMPANY} last {day}.
{FULL} is the richest person in {COUNTRY}, according to {MEDIA}.
"""),
    "school": _lines("""
{PER} got the best mark in {subject} this term.
Our {subject} teacher, {TITLED}, gave us a test on {day}.
{PER} is studying {subject} at {UNI}.
Next {day} we have a trip to the museum in {CITY}.
{PER} and I are working on a project about {COUNTRY}.
My {relative} studies {subject} and {subject} in {CITY}.
The {subject} homework was {adj} and very long.
Our teacher {adv} {verbed} the {nouns} after the lesson.
{FIRST} studies {subject} because she wants to become {a:job}.
In {subject} we learned that {RIVER} flows into the sea.
My favourite subject is {subject}, but {PER} prefers {subject}.
{TITLED} teaches {LANG} and {subject} at our school.
The exchange students from {COUNTRY} arrived on {day}.
{FULL} wrote {a:adj} essay about {EVENT}.
Can you help me with my {subject} homework, {FIRST}?
{PER} wants to study {subject} in {CITY} after school.
The school choir will sing in {LANG} at the concert.
Our class visited {LANDMARK} on {day}.
{TITLED} said the exam will be on {day} morning.
{PER} forgot her {thing} in the {subject} classroom.
{PER} was accepted at {UNI} to study {subject}.
We are reading {a:adj} novel by {FULL} in class.
The capital of {COUNTRY} is {CITY}.
Who was the first person to climb {MOUNTAIN}?
In history we learned about {EVENT} and {EVENT}.
{PER} explained the {noun} to the whole class.
Professor {LAST} from {UNI} gave a talk about the {noun}.
I didn't understand the {subject} lesson on {day}.
{PER} sits next to {PER} in {subject}.
Students at {UNI} protested against higher fees.
The library is closed on {day}, so {PER} studied at home.
{FULL} won a scholarship to {UNI}.
Our teacher showed us a map of {REGION}.
{PER} is learning {LANG} because her {relative} lives in {COUNTRY}.
The {subject} exam was {adj}, but {PER} passed.
Write a short text about a trip to {CITY}.
Which river flows through {CITY}?
{PER} drew a picture of {LANDMARK} for the art class.
{num} students from our school will visit {COUNTRY} in {month}.
{TITLED} asked {FIRST} to read the poem aloud.
The head teacher, {FULL}, retired in {year}.
We watched a documentary about {RIVER} in {subject} class.
{PER} got {a:adj} grade on the {subject} test.
Homework for {day}: read chapter {num} and answer the questions.
Most of my classmates study {subject} or {subject}.
The {subject} department at {UNI} is very {adj}.
I have {subject} on {days} and {subject} on {days}.
{FIRST} asked why {RIVER} is so long.
Our {subject} project compares {CITY} and {CITY}.
The {adj} students from {UNI} won a prize for their {noun}.
"""),
    "daily": _lines("""
Yesterday, {FIRST} met {FIRST} in {CITY}.
{PER} called me from {CITY} last night.
I bought {food} at the market on {day}.
{FIRST}'s {relative} lives in {CITY}.
My neighbour {PER} has {a:adj} {animal}.
We are having dinner with {PER} on {day}.
{PER} lent me {a:thing} and I forgot to give it back.
Happy birthday, {FIRST}!
{PER} is {a:job} at a hospital in {CITY}.
I will meet {FIRST} at the {place} after work.
{PER}'s {animal} ran away on {day} morning.
My {relative} cooks {NAT} food every {day}.
{PER} moved to {CITY} with her {relative}.
Did you see {FIRST} at the {place} today?
We watched {a:NAT} film with {LANG} subtitles.
{PER} and {PER} got married in {CITY} in {month}.
The {place} on {STREET} sells {adj} {food}.
I'm going to {CITY} to visit {PER} next week.
{PER} fixed my {thing} for free.
Tell {FIRST} that dinner is ready.
{PER} sent me a message in {LANG} by mistake.
Our new neighbours are from {COUNTRY}.
On {day} I usually go to the {place} with {PER}.
{PER} bakes {adj} bread on {days}.
The children played in {LANDMARK} all afternoon.
I ordered {a:thing} from {COMPANY} but it never arrived.
{PER} asked me if I wanted to go to {CITY} in {month}.
Thanks, {FIRST}, the {food} was {adj}!
My {relative} {FIRST} is visiting from {COUNTRY}.
{PER} always drinks {adj} tea in the morning.
I think {PER} left the {thing} on the table.
{PER} and her {relative} went shopping on {STREET}.
It rained all day in {CITY}, so we stayed at home.
When is {FIRST} coming back from {COUNTRY}?
{FIRST}, please don't forget the {food}.
The {animal} belongs to {PER}, who lives next door.
{PER} grew up in {REGION} and still speaks {LANG}.
I saw {PER} at the {place} near {LANDMARK}.
We celebrated {FIRST}'s birthday at {a:NAT} restaurant.
{PER} works night shifts at the {place}.
I can't find my {thing} anywhere.
My favourite {food} comes from {REGION}.
{PER} has {a:animal} called {FIRST}.
The {animal} next door is called {FIRST}.
{FIRST} texted {FIRST} from the {place}.
{PER} painted the kitchen {adj} last {day}.
I told {PER} about the {noun}, but she didn't listen.
Every {month} we drive to {CITY} to see {PER}.
{PER} is the {adj} person I know.
{FIRST} and {FIRST} {verbed} the {noun} together.
My favourite subject is {subject}.
I {adv} {verbed} the {adj} {noun} before breakfast.
We need more {nouns} for the {adj} {noun}.
The {adj} {noun} on the kitchen table belongs to my {relative}.
Our {relative} {adv} {verbed} the old {noun}.
I {verbed} the {noun} with {PER} on {day}.
"""),
    "culture": _lines("""
{FULL} painted this picture in {CITY} in {year}.
The {NAT} writer {FULL} was born in {CITY}.
{FULL} wrote the song in {LANG}.
The film was shot in {REGION} and {COUNTRY}.
{FULL} played the lead role in {a:adj} film about {CITY}.
The concert at {LANDMARK} was cancelled.
{FULL} won {AWARD} in {year}.
The book has been translated from {LANG} into {num} languages.
The exhibition on {NAT} art opens at the museum in {CITY} on {day}.
{FULL} and {FULL} formed the band in {CITY}.
The festival in {CITY} attracts {num} thousand visitors every {month}.
Most of the novel takes place on {STREET} in {CITY}.
{FULL} lived at {house} {STREET} for many years.
During {EVENT}, {FULL} worked as {a:job} in {CITY}.
The statue of {FULL} stands in the main square of {CITY}.
{PER} collects old {NAT} coins.
The opera was first performed in {CITY} in {year}.
{FULL} directed {a:adj} documentary about {RIVER}.
Critics from {MEDIA} loved the new album by {FULL}.
The poet {FULL} spent her last years in {REGION}.
The temple was built in the {ordinal} century near {CITY}.
The {NAT} chef {FULL} opened a restaurant in {CITY}.
{FULL} invented a machine for making {food}.
{FULL} and {FULL} lived at {house} {STREET} in {CITY}.
Researchers at {UNI} and {ORG} studied {nouns} in {REGION}.
{ORG} launched a satellite from {REGION} on {day}.
{TITLED} from {UNI} won {AWARD} for her work on the {noun}.
{COMPANY} released a new app for learning {LANG}.
The new telescope in {COUNTRY} was built by {COMPANY}.
A team led by {FULL} found a new kind of {animal} near {RIVER}.
The museum in {CITY} bought a painting by {FULL} for {num} million euros.
{FULL} sang in {LANG} at {EVENT}.
Detective {LAST} solved the mystery in the last chapter.
The story follows {FIRST}, {a:job} who moves from {CITY} to {CITY}.
{FULL} is remembered as the greatest {NAT} composer.
Have you read the new novel by {FULL}?
The {ordinal} century castle above {CITY} is open to visitors.
"""),
}

# Every non-empty left context below is shared by both senses of an ambiguous word.
NEUTRAL_PREFIXES = _items("""
Yesterday,; I heard that; I read that; My {relative} told me that; Everyone knows that; This week,;
Honestly,; Last year,; As expected,; I think; According to the radio,; We learned that; So,
""")

# word -> sense -> (tag, surface, right-decided continuations, left-decided frames).
# "{W}" is the ambiguous word; "{W_FULL}" is the word as a surname after a drawn first name and
# "{W_SURNAMED}" the word as a first name before a drawn surname (both one PER span).
AMBIGUOUS: dict[str, dict[str, tuple[str, str, list[str], list[str]]]] = {
    "apple": {
        "company": ("ORG", "Apple", _lines("""
{W} representatives met the {adj} committee today.
{W} shares rose {num} percent on {day}.
{W} announced a new phone in {CITY}.
{W} engineers are working on the next laptop.
{W} stores were closed across {COUNTRY} on {day}.
{W} reported higher profits this quarter.
{W} executives flew to {CITY} for talks with {COMPANY}.
{W} customers can download the update from {day}.
{W} sued {COMPANY} over a patent.
{W} hired {num} new designers in {CITY}.
"""), _lines("""
{FULL} has worked at {W} for {small} years.
The new {W} laptop costs {num} dollars.
{PER} bought shares in {W} and {COMPANY}.
I sent my phone to {W} for repair.
{COMPANY} and {W} settled the case in {CITY}.
""")),
        "fruit": ("O", "apple", _lines("""
{W} pie is best served warm with cream.
{W} trees need plenty of sun.
{W} juice costs {num} euros at the market.
{W} slices make {a:adj} snack.
{W} peel can go on the compost heap.
{W} cake was on the table when {FIRST} arrived.
{W} blossoms appear in {month}.
{W} seeds should not be eaten.
{W} sauce goes well with roast pork.
{W} crumble is my {relative}'s favourite dessert.
"""), _lines("""
She ate an {W} and a pear for lunch.
{PER} picked a red {W} from the tree.
We made {W} jam with {PER}.
The {W} and pear salad was {adj}.
I put an {W} in my bag for the trip to {CITY}.
""")),
    },
    "amazon": {
        "company": ("ORG", "Amazon", _lines("""
{W} shares fell after the report.
{W} delivered my {thing} on {day}.
{W} workers in {CITY} went on strike.
{W} opened a new warehouse near {CITY}.
{W} customers complained about late parcels.
{W} sells more books than any shop in {COUNTRY}.
{W} executives met {ORG} officials in {CITY}.
{W} announced {num} thousand new jobs.
"""), _lines("""
I ordered {a:thing} from {W} last {day}.
{FULL} left her job at {W} in {month}.
My {relative} works for {W} in {CITY}.
{COMPANY} and {W} are fierce rivals.
""")),
        "river": ("LOC", "Amazon", _lines("""
{W} rainforest is losing trees every year.
{W} basin is home to thousands of species.
{W} rainforest covers parts of [Brazil|LOC] and [Peru|LOC].
{W} floods every year after the rains.
{W} region has hot weather all year.
{W} river carries more water than any other river.
{W} forests were on fire last {month}.
{W} dolphins are pink.
"""), _lines("""
We sailed down the {W} for {small} days.
The {W} flows through [Brazil|LOC] and [Peru|LOC].
Scientists from {UNI} studied fish in the {W}.
{PER} took photos of {animals} along the {W}.
""")),
    },
    "jordan": {
        "person": ("PER", "Jordan", _lines("""
{W} scored {num} points in the second half.
{W} said she would call me later.
{W} and his sister live in {CITY}.
{W} is studying {subject} at {UNI}.
{W} smiled and opened the door.
{W} forgot his keys again.
{W} plays the guitar in a band.
{W}'s brother is {a:job}.
"""), _lines("""
I lent my {thing} to {W} yesterday.
{FIRST} and {W} are best friends.
My friend {W} lives in {CITY}.
{W_SURNAMED} won the race in {CITY}.
""")),
        "country": ("LOC", "Jordan", _lines("""
{W} borders [Syria|LOC], [Iraq|LOC] and [Saudi Arabia|LOC].
{W} has a long border with [Israel|LOC].
{W}'s capital is [Amman|LOC].
{W} is famous for the ancient city of [Petra|LOC].
{W} signed a water deal with its neighbours.
{W}'s economy depends on tourism.
{W} is mostly desert.
{W} welcomed {num} thousand refugees last year.
"""), _lines("""
We flew to {W} for a week in {month}.
The road from {W} to [Syria|LOC] was closed.
{PER} grew up in {W} and moved to {CITY}.
Tourists in {W} visit the [Dead Sea|LOC].
""")),
    },
    "washington": {
        "person": ("PER", "Washington", _lines("""
{W} crossed the [Delaware|LOC] in 1776.
{W} led the army for eight years.
{W} was the first president of the [United States|LOC].
{W} refused a third term.
{W} said the film was {adj}.
{W} owned a farm at [Mount Vernon|LOC].
{W} gave a speech to the soldiers.
"""), _lines("""
The portrait of {W_FULL} hangs in the hall.
{W_FULL} won an award for the film.
General {W} crossed the river at night.
President {W} signed the letter.
""")),
        "city": ("LOC", "Washington", _lines("""
{W} is the capital of the [United States|LOC].
{W} has hot summers and cold winters.
{W} was full of tourists on {day}.
{W} hosted the meeting of {ORG}.
{W} has many free museums.
{W} lies on the [Potomac River|LOC].
{W} was cold and {adj} in {month}.
"""), _lines("""
We flew from {CITY} to {W} on {day}.
The museums in {W} are free.
{PER} lives in {W} and works for {ORG}.
The train to {W} was late.
""")),
    },
    "paris": {
        "city": ("LOC", "Paris", _lines("""
{W} is beautiful in {month}.
{W} has more than {num} museums.
{W} was crowded with tourists on {day}.
{W} lies on the [Seine|LOC].
{W} is the capital of [France|LOC].
{W}'s metro is busy in the morning.
{W} hosted {EVENT} in {year}.
{W} has a famous tower made of iron.
"""), _lines("""
{FIRST} met {FIRST} in {W} last {day}.
We took the train from {CITY} to {W}.
Hotels in {W} are expensive.
The flight to {W} was cancelled.
""")),
        "person": ("PER", "Paris", _lines("""
{W} said she would be late for dinner.
{W} and her brother study {subject}.
{W} smiled at {FIRST} and waved.
{W} is my best friend from school.
{W}'s dog barked all night.
{W} wrote a letter to her {relative}.
{W} won the school {noun} prize.
{W} called me from the {place}.
"""), _lines("""
I asked {W} to help me with {subject}.
My cousin {W} is {a:job}.
{FIRST} and {W} are twins.
{W_SURNAMED} sang at the concert.
""")),
    },
    "tesla": {
        "company": ("ORG", "Tesla", _lines("""
{W} shares jumped {num} percent.
{W} opened a factory near [Berlin|LOC].
{W} recalled {num} thousand cars.
{W} cars are charged at home.
{W} sold more cars in {COUNTRY} this year.
{W} investors were nervous on {day}.
{W} hired {num} engineers in {CITY}.
"""), _lines("""
{PER} bought a car from {W} last {month}.
{FULL} works as an engineer at {W}.
The {W} factory in {CITY} hired {num} workers.
{COMPANY} and {W} compete for customers.
""")),
        "person": ("PER", "Tesla", _lines("""
{W} was born in 1856 in what is now [Croatia|LOC].
{W} invented a new kind of motor.
{W} worked for [Thomas Edison|PER] in [New York|LOC].
{W} died alone in a hotel room in 1943.
{W} dreamed of free electricity for everyone.
{W} spoke several languages.
{W} moved to [America|LOC] in 1884.
"""), _lines("""
{W_FULL} was a brilliant inventor.
The inventor {W} was born in [Smiljan|LOC].
We read a book about {W} and [Edison|PER].
The scientist {W} lived in [New York|LOC].
""")),
    },
    "may": {
        "month": ("O", "May", _lines("""
{W} is the best month to visit {CITY}.
{W} brought heavy rain to {REGION}.
{W} was warmer than usual this year.
{W} ended with a long weekend.
{W} usually brings the first warm days.
{W} is when the exams start.
"""), _lines("""
We are moving to {CITY} in {W}.
In {W}, {PER} ran {a:adj} race in {CITY}.
In {W}, the weather in {CITY} is {adj}.
The exams start on {num} {W}.
{PER} was born in {W} {year}.
The festival takes place every {W}.
""")),
        "person": ("PER", "May", _lines("""
{W} said she would bring the {food}.
{W} brought her {animal} to school.
{W} and {FIRST} went to {CITY} together.
{W} was late for the {subject} exam.
{W} smiled at the children.
{W}'s sister works at {COMPANY}.
"""), _lines("""
I saw {W} at the {place} yesterday.
Yesterday {W} ran {a:adj} race in {CITY}.
My aunt {W} lives in {CITY}.
{W_FULL} became prime minister in 2016.
{FIRST} and {W} are cousins.
""")),
        "modal": ("O", "May", _lines("""
{W} I open the window?
{W} we leave early today?
{W} I ask a question?
"""), _lines("""
It may rain in {CITY} later.
You may sit wherever you like.
""")),
    },
    "teddy": {
        "person": ("PER", "Teddy", _lines("""
{W} bought a new {thing} on {day}.
{W} said the match was {adj}.
{W} and his {relative} went fishing.
{W} fell asleep during the {subject} lesson.
{W} called me from {CITY}.
{W} plays {sport} every {day}.
"""), _lines("""
My neighbour {W} moved to {CITY}.
{FIRST} and {W} are brothers.
I gave {W} a lift to the station.
{W_SURNAMED} won the {sport} match.
""")),
        "toy": ("O", "teddy", _lines("""
{W} bears were on sale at the market.
{W} bears sat in a row on the shelf.
{W} bears make good presents for children.
{W} bear pictures covered the walls.
{W} bear stories are popular with children.
{W} bears filled the shop window.
"""), _lines("""
She hugged her {W} bear and fell asleep.
The child lost a {W} bear in {CITY}.
{PER} sewed a {W} bear for the baby.
""")),
    },
}

# How often each sense is drawn, per word (the senses of a word sum to 1).
SENSE_WEIGHTS = {"may": {"month": 0.45, "person": 0.45, "modal": 0.10}}

# Anchor names always in the training split (the course notes' and the issue's examples).
ANCHOR_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en_GB": (["Tom", "Eliza", "Sherlock", "John"], ["Holmes", "Watson"]),
    "ja_JP": (["Kenji"], []),
    "ru_RU": (["Olga"], []),
    "ig_NG": (["Ngozi"], []),
    "de_DE": ([], ["Müller"]),
}

# ---------------------------------------------------------------------------------------------
# Person names from Faker
# ---------------------------------------------------------------------------------------------

# locale -> (first-name attributes, last-name attributes, transliterate Cyrillic?)
NAME_LOCALES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en_US": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_GB": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_IE": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_IN": (("first_names_male", "first_names_female"), ("last_names",)),
    "de_DE": (("first_names_male", "first_names_female"), ("last_names",)),
    "fr_FR": (("first_names_male", "first_names_female"), ("last_names",)),
    "es_ES": (("first_names_male", "first_names_female"), ("last_names",)),
    "es_MX": (("first_names_male", "first_names_female"), ("last_names",)),
    "it_IT": (("first_names_male", "first_names_female"), ("last_names",)),
    "pt_BR": (("first_names_male", "first_names_female"), ("last_names",)),
    "nl_NL": (("first_names_male", "first_names_female"), ("last_names",)),
    "pl_PL": (("first_names_male", "first_names_female"), ("unisex_last_names",)),
    "sv_SE": (("first_names_male", "first_names_female"), ("last_names",)),
    "fi_FI": (("first_names_male", "first_names_female"), ("last_names",)),
    "cs_CZ": (("first_names_male", "first_names_female"), ("last_names",)),
    "hu_HU": (("first_names_male", "first_names_female"), ("last_names",)),
    "tr_TR": (("first_names_male", "first_names_female"), ("last_names",)),
    "ru_RU": (("first_names_male", "first_names_female"), ("last_names_male", "last_names_female")),
    "uk_UA": (("first_names_male", "first_names_female"), ("last_names",)),
    "ja_JP": (("first_romanized_names_male", "first_romanized_names_female"), ("last_romanized_names",)),
    "zh_TW": (("first_romanized_names_male", "first_romanized_names_female"), ("last_romanized_names",)),
    "vi_VN": (("first_names_male", "first_names_female", "first_names_unisex"), ("last_names",)),
    "id_ID": (("first_names_male", "first_names_female"), ("last_names",)),
    "yo_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "ig_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "ha_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "sw": (("first_names_male", "first_names_female"), ("last_names",)),
    "zu_ZA": (("first_names_male", "first_names_female"), ("last_names",)),
    "tw_GH": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_KE": (("first_names_male", "first_names_female"), ("last_names",)),
}

# Particles put before a surname in a share of names, per locale (lowercase ones stay inside PER).
PARTICLES = {"nl_NL": (0.3, ("van", "van de", "van der", "de", "van den", "ter")),
             "de_DE": (0.05, ("von",)), "fr_FR": (0.05, ("de",)), "pt_BR": (0.15, ("da", "dos", "de")),
             "es_ES": (0.04, ("de la", "del")), "it_IT": (0.05, ("Di", "De"))}
DOUBLE_SURNAME = {"es_ES": 0.3, "es_MX": 0.3, "pt_BR": 0.15, "de_DE": 0.03, "fr_FR": 0.03}

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                      "yu", "ya", "i", "yi", "ye", "g"], strict=True))
_UKRAINIAN = {"г": "h", "и": "y", "е": "e", "є": "ye", "ї": "yi", "і": "i", "й": "y"}
_NAME_RE = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")
_LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\- ]+$")


def _transliterate(name: str, ukrainian: bool) -> str:
    """Cyrillic -> Latin letters (a simple BGN-like scheme): "Ольга" -> "Olga"."""
    out = []
    for char in name:
        lower = char.lower()
        latin = (_UKRAINIAN.get(lower) if ukrainian else None)
        latin = _CYRILLIC.get(lower, char) if latin is None else latin
        out.append(latin.capitalize() if char != lower else latin)
    return "".join(out)


def _faker_names(locale: str, attributes: tuple[str, ...]) -> list[str]:
    import importlib

    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: list[str] = []
    for attribute in attributes:
        values = getattr(provider, attribute, ())
        names.extend(values.keys() if isinstance(values, dict) else values)
    if locale in ("ru_RU", "uk_UA"):
        names = [_transliterate(name, ukrainian=locale == "uk_UA") for name in names]
    # zh_TW's romanized names are written in capitals ("CHE-WEI"): write them as names are typed.
    return [name.title() if name.isupper() and len(name) > 1 else name for name in names]


def _blocked_name_words() -> set[str]:
    """Strings that must not be drawn as person names: the ambiguous words (their senses are
    controlled), months and days, single-word places and organisations, and ordinary words that
    fill the O slots (so that "Rose"/"rose" or "Bill"/"bill" never contradict each other)."""
    blocked = {word.lower() for word in AMBIGUOUS} | {"may", "the", "i"}
    blocked |= {w.lower() for w in WORDS["day"] + WORDS["days"] + WORDS["month"]}
    for _, (_, parts) in GAZETTEER.items():
        for entry in parts["core"] + parts["more"]:
            blocked.add(entry.split("|")[-1].lower())
    for key in ("noun", "adj", "adv", "verbed", "subject", "food", "job", "relative", "thing",
                "animal", "place", "sport", "staff", "orgnoun", "nature", "compass", "stage"):
        blocked |= {w.lower() for w in WORDS[key]}
    return blocked


@dataclass(frozen=True)
class NamePool:
    """Person names of one split: locale -> first names and last names (disjoint across splits)."""

    first: dict[str, tuple[str, ...]]
    last: dict[str, tuple[str, ...]]

    def all_first(self) -> set[str]:
        return {name for names in self.first.values() for name in names}

    def all_last(self) -> set[str]:
        return {name for names in self.last.values() for name in names}


@functools.cache
def name_pool(split: str) -> NamePool:
    """The person names a split may use, drawn once from Faker's lists and partitioned by a stable
    hash of the name (first and last names separately), so no test name is ever a training name."""
    _check_split(split)
    blocked = _blocked_name_words()
    anchors_first = {n for first, _ in ANCHOR_NAMES.values() for n in first}
    anchors_last = {n for _, last in ANCHOR_NAMES.values() for n in last}
    first: dict[str, tuple[str, ...]] = {}
    last: dict[str, tuple[str, ...]] = {}
    for locale, (first_attrs, last_attrs) in NAME_LOCALES.items():
        anchor_first, anchor_last = ANCHOR_NAMES.get(locale, ([], []))
        for attrs, anchors, all_anchors, out in ((first_attrs, anchor_first, anchors_first, first),
                                                 (last_attrs, anchor_last, anchors_last, last)):
            chosen = []
            for raw in list(anchors) + _faker_names(locale, attrs):
                name = unicodedata.normalize("NFC", raw.strip())
                if not _usable_name(name, blocked) or name in chosen:
                    continue
                home = "train" if name in all_anchors else _name_split(name)
                if home == split:
                    chosen.append(name)
            out[locale] = tuple(sorted(chosen))
    return NamePool(first=first, last=last)


def _name_split(name: str) -> str | None:
    """The split a name belongs to. One salt for first and last names, so a string ("Thomas") has
    one home whichever way it is used; a name of several words ("Jose Luis") is kept only when every
    word belongs to the same split, so no word of a held-out name is ever a training name."""
    homes = {_split_of(word, "person") for word in name.split()}
    return homes.pop() if len(homes) == 1 else None


def _usable_name(name: str, blocked: set[str]) -> bool:
    if not _NAME_RE.match(name) or not _LATIN_RE.match(name) or len(name) < 2:
        return False
    if name.lower() in blocked or name.count(" ") > 1 or name != name.strip():
        return False
    if not all(word[0].isupper() for word in name.split()) or len(name.lower()) != len(name):
        return False
    return all(token[0].isalpha() for token in tokenize(name))


# ---------------------------------------------------------------------------------------------
# Ordinary words from wordfreq, by suffix
# ---------------------------------------------------------------------------------------------

_SENSITIVE = re.compile(
    r"sex|porn|rape|nude|naked|kill|murder|suicid|terror|drug|cocaine|heroin|abort|racis|nazi|fuck|"
    r"shit|bitch|whore|slave|masturbat|molest|prostitut|genocid|tortur|virgin|circumcis|erot|orgasm|"
    r"penis|vagin|breast|bomb|weapon|assault|abus|hate|ejacul|fornicat|castrat|mutilat|extermin|"
    r"christian|islam|jew|catholic|hindu|buddh|protestant|bibl|olymp|atlantic|pacific|baltic|celtic|"
    r"arabic|nordic|slavic|germanic|victorian|hispanic|yiddish|cornish|flemish|amish|kurdish|"
    r"english|british|spanish|irish|swedish|danish|finnish|polish|turkish|scottish|welsh")
_SUFFIX_CLASSES = {
    "noun": re.compile(r"(tion|sion|ment|ness|ity|ance|ence|ship|hood|ery)$"),
    "adj": re.compile(r"(ous|ful|ive|able|ible|ical|ional|less)$"),
}


@functools.cache
def wordfreq_words() -> dict[str, tuple[str, ...]]:
    """Frequent English words sorted into noun / adj / adv / verbed by their suffix."""
    from wordfreq import top_n_list

    top = [w for w in top_n_list("en", 20000) if re.fullmatch(r"[a-z]{4,}", w)]
    known = set(top)
    blocked = _blocked_name_words() | {w.lower() for (_, (_, parts)) in GAZETTEER.items()
                                       for entry in parts["core"] + parts["more"]
                                       for w in entry.split("|")[-1].split()}
    usable = [w for w in top if w not in blocked and not _SENSITIVE.search(w)]
    classes: dict[str, list[str]] = {"noun": [], "adj": [], "adv": [], "verbed": []}
    for word in usable:
        if _SUFFIX_CLASSES["noun"].search(word):
            classes["noun"].append(word)
        elif _SUFFIX_CLASSES["adj"].search(word) and len(word) >= 6:
            classes["adj"].append(word)
        elif word.endswith("ly") and (word[:-2] in known or word[:-3] + "y" in known) and len(word) >= 6:
            classes["adv"].append(word)
        elif word.endswith("ed") and (word[:-2] in known or word[:-1] in known) and len(word) >= 6:
            classes["verbed"].append(word)
    return {key: tuple(words) for key, words in classes.items()}


# ---------------------------------------------------------------------------------------------
# Frames, their splits, and rendering
# ---------------------------------------------------------------------------------------------

_SLOT = re.compile(r"\{(?:(a):)?(\w+)\}|\[([^\]|]+)\|(PER|LOC|ORG|MISC)\]")


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


def _partition(items: list[str], salt: str) -> dict[str, list[str]]:
    """Deterministic 80/10/10 split of a list that keeps every split non-empty when it can:
    items are ordered by a stable hash, then every 10th goes to test and every 10th + 5 to dev
    (lists of fewer than 4 items stay in train)."""
    ordered = sorted(items, key=lambda item: hashlib.md5(f"{salt}:{item}".encode()).hexdigest())
    out: dict[str, list[str]] = {split: [] for split in SPLITS}
    for index, item in enumerate(ordered):
        if len(ordered) < 4:
            out["train"].append(item)
        elif index % 10 == 0:
            out["test"].append(item)
        elif index % 10 == 5 or (index == 1 and len(ordered) < 6):
            out["dev"].append(item)
        else:
            out["train"].append(item)
    return out


@functools.cache
def frames(split: str) -> dict[str, tuple[str, ...]]:
    """The ordinary frames of a split, per domain; frames of different splits never overlap."""
    _check_split(split)
    return {domain: tuple(_partition(block, f"frame-{domain}")[split]) for domain, block in FRAMES.items()}


@functools.cache
def ambiguity_frames(split: str) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    """(word, sense) -> (right-decided continuations, left-decided frames) of a split."""
    _check_split(split)
    out = {}
    for word, senses in AMBIGUOUS.items():
        for sense, (_, _, right, left) in senses.items():
            out[(word, sense)] = (tuple(_partition(right, f"amb-r-{word}-{sense}")[split]),
                                  tuple(_partition(left, f"amb-l-{word}-{sense}")[split]))
    return out


@functools.cache
def gazetteer(split: str) -> dict[str, tuple[str, ...]]:
    """slot -> entries of a split: the core entries go to train, the others are partitioned."""
    _check_split(split)
    out = {}
    for slot, (_, parts) in GAZETTEER.items():
        entries = [e for e in parts["more"] if e not in parts["core"]]
        held = [e for e in entries if _split_of(e, f"gaz-{slot}") == split]
        out[slot] = tuple((parts["core"] if split == "train" else []) + held)
    return out


@dataclass(frozen=True)
class NerExample:
    """One generated sentence: its text, tokens x<t>, BIO tags y<t> and where it came from."""

    text: str
    tokens: list[str]
    tags: list[str]
    frame: str
    domain: str  # a FRAMES domain, or "ambiguity"
    ambiguous: tuple[str, str] | None = None  # (word, sense) for ambiguity sentences


Piece = tuple[str, str | None]  # (text, entity type or None for O)


class _Generator:
    """Draws sentences for one split from one random stream."""

    def __init__(self, split: str, rng: random.Random):
        self.split = split
        self.rng = rng
        self.names = name_pool(split)
        self.locales = [loc for loc in NAME_LOCALES if self.names.first[loc] and self.names.last[loc]]
        self.gaz = gazetteer(split)
        self.extra = wordfreq_words()
        self.frames = [(domain, frame) for domain, items in frames(split).items() for frame in items]
        self.ambiguity = ambiguity_frames(split)

    # -- slot fillers ---------------------------------------------------------------------------
    def person(self, form: str) -> list[Piece]:
        rng = self.rng
        locale = rng.choice(self.locales)
        first = rng.choice(self.names.first[locale])
        if form == "PER":
            form = rng.choices(("FIRST", "FULL", "LAST", "TITLED"), weights=(40, 42, 6, 12))[0]
        if form == "FIRST":
            return [(first, "PER")]
        last = self.surname(locale)
        if form == "LAST":
            return [(last, "PER")]
        if form == "TITLED":  # "Dr. Okafor" or "Dr. Ada Okafor": the title stays O
            name = f"{first} {last}" if rng.random() < 0.3 else last
            return [(rng.choice(WORDS["title"]) + " ", None), (name, "PER")]
        return [(f"{first} {last}", "PER")]

    def surname(self, locale: str) -> str:
        rng = self.rng
        last = rng.choice(self.names.last[locale])
        if rng.random() < DOUBLE_SURNAME.get(locale, 0.0):
            other = rng.choice(self.names.last[locale])
            last = f"{last}-{other}" if locale in ("de_DE", "fr_FR") else f"{last} {other}"
        share, particles = PARTICLES.get(locale, (0.0, ()))
        if particles and rng.random() < share:
            last = f"{rng.choice(particles)} {last}"
        return last

    def gazetteer_entry(self, slot: str) -> list[Piece]:
        entry = self.rng.choice(self.gaz[slot])
        entity_type = GAZETTEER[slot][0]
        article, _, name = entry.rpartition("|")
        return ([(article + " ", None)] if article else []) + [(name, entity_type)]

    def word(self, slot: str) -> str:
        rng = self.rng
        if slot in self.extra and rng.random() < WORDFREQ_SHARE:
            return rng.choice(self.extra[slot])
        if slot == "nouns" and rng.random() < WORDFREQ_SHARE:
            return _plural(rng.choice(self.extra["noun"]))
        if slot == "num":
            return str(rng.choice((rng.randint(2, 12), rng.randint(2, 12), rng.randint(13, 99),
                                   rng.randint(100, 900))))
        if slot == "small":  # counts of hours, days and years
            return str(rng.randint(2, 20))
        if slot == "hour":
            return str(rng.randint(1, 12))
        if slot == "year":
            return str(rng.randint(1890, 2025))
        if slot == "score":
            return f"{rng.randint(0, 5)}-{rng.randint(0, 4)}"
        if slot == "house":
            return str(rng.randint(1, 240)) + rng.choice(("", "", "", "A", "B"))
        if slot == "ordinal":
            n = rng.randint(11, 19)
            return f"{n}th"
        return rng.choice(WORDS[slot])

    def fill(self, template: str, word_pieces: list[Piece] | None = None) -> list[Piece]:
        """Turn a frame into pieces; "{W}"/"{W_FULL}" become word_pieces (the ambiguous word)."""
        pieces: list[Piece] = []
        position = 0
        for match in _SLOT.finditer(template):
            if match.start() > position:
                pieces.append((template[position:match.start()], None))
            position = match.end()
            article, slot, literal, literal_type = match.groups()
            if literal is not None:
                pieces.append((literal, literal_type))
            elif slot == "W":
                pieces.extend(word_pieces or [])
            elif slot in ("W_FULL", "W_SURNAMED"):
                word = word_pieces[0][0] if word_pieces else ""
                other = self.person("FIRST" if slot == "W_FULL" else "LAST")[0][0]
                pieces.append((f"{other} {word}" if slot == "W_FULL" else f"{word} {other}", "PER"))
            elif slot in ("PER", "FIRST", "FULL", "LAST", "TITLED"):
                pieces.extend(self.person(slot))
            elif slot in GAZETTEER:
                entity = self.gazetteer_entry(slot)
                if article:  # "an Ecuadorian family": the article goes before, outside the span
                    entity.insert(0, (_indefinite_article(entity[0][0]) + " ", None))
                pieces.extend(entity)
            elif slot in ENTITY_UNIONS:
                pieces.extend(self.gazetteer_entry(self.rng.choice(ENTITY_UNIONS[slot])))
            else:
                word = self.word(slot)
                if article:
                    word = _indefinite_article(word) + " " + word
                pieces.append((word, None))
        if position < len(template):
            pieces.append((template[position:], None))
        return pieces

    # -- sentences ------------------------------------------------------------------------------
    def ordinary(self) -> tuple[list[Piece], str, str, bool]:
        domain, frame = self.rng.choice(self.frames)
        template = frame
        if frame.startswith(_PERSON_STARTS) and self.rng.random() < PRONOUN_SHARE:
            # "He flew to ..." as well as "Ada flew to ...": a capitalised pronoun opens many sentences
            template = self.rng.choice(("He", "She")) + frame[frame.index("}") + 1:]
        pieces = self.fill(template)
        if _takes_opener(frame) and self.rng.random() < OPENER_SHARE:
            opener = self.fill(self.rng.choice(WORDS["opener"]) + " ")
            first_text, first_type = pieces[0]
            if first_type is None:
                pieces[0] = (first_text[:1].lower() + first_text[1:], None)
            pieces = opener + pieces
        return pieces, frame, domain, self.rng.random() < LOWERCASE_SHARE

    def ambiguous_sentence(self) -> tuple[list[Piece], str, tuple[str, str], bool]:
        rng = self.rng
        word = rng.choice(sorted(AMBIGUOUS))
        senses = AMBIGUOUS[word]
        weights = SENSE_WEIGHTS.get(word, {})
        # a sense whose few frames all went to train (May as a modal verb) is absent from dev/test
        present = [s for s in senses if any(self.ambiguity[(word, s)])]
        sense = rng.choices(present, weights=[weights.get(s, 1.0) for s in present])[0]
        entity_type, surface, _, _ = senses[sense]
        right, left = self.ambiguity[(word, sense)]
        tag = None if entity_type == "O" else entity_type
        if right and (not left or rng.random() < RIGHT_DECIDED_SHARE):
            frame = rng.choice(right)
            prefix = rng.choice(NEUTRAL_PREFIXES) if rng.random() < 0.5 else ""
            if sense == "modal":
                prefix = ""  # a question starting "May I ...?" only works sentence-initially
            template = f"{prefix} {frame}" if prefix else frame
        else:
            frame = rng.choice(left)
            template = frame
        pieces = self.fill(template, [(surface, tag)])
        lowercase = rng.random() < AMBIGUOUS_LOWERCASE_SHARE
        return pieces, frame, (word, sense), lowercase

    def example(self) -> NerExample:
        ambiguous = None
        if self.rng.random() < AMBIGUITY_SHARE:
            pieces, frame, ambiguous, lowercase = self.ambiguous_sentence()
            domain = "ambiguity"
        else:
            pieces, frame, domain, lowercase = self.ordinary()
        drop_stop = self.rng.random() < NO_FINAL_STOP_SHARE
        text, spans = _assemble(pieces, lowercase=lowercase, drop_final_stop=drop_stop)
        tokens, tags = align(text, spans)
        return NerExample(text, tokens, tags, frame, domain, ambiguous)


# Frames opening with a bare person slot and a verb, where "He"/"She" can stand instead of the name.
_PERSON_STARTS = tuple(f"{{{slot}}} {word}" for slot in ("PER", "FIRST", "FULL")
                       for word in ("was", "is", "has", "won", "works", "took", "called", "met", "moved",
                                    "booked", "scored", "started", "fixed", "sent", "bought", "said",
                                    "wrote", "lives", "plays", "invested", "sold", "finished", "painted",
                                    "explained", "drew", "grew", "asked", "got", "collected", "studies",
                                    "wants", "cycled", "ran", "broke", "passed", "always", "recommended"))


def _indefinite_article(word: str) -> str:
    """"a"/"an" by the first letter, with the usual exceptions ("a European", "an hour")."""
    lower = word.lower()
    if lower.startswith(("eu", "uni", "use", "usu", "one")):
        return "a"
    return "an" if lower[:1] in "aeiou" or lower.startswith(("hour", "honest")) else "a"


_NO_OPENER_STARTS = ('"', "I ", "I'", "Yesterday", "Last ", "On ", "In ", "Next ", "After ", "Every ",
                     "During ", "Breaking", "Happy", "Welcome", "Thanks", "Tell ", "Write ", "Take ",
                     "Homework", "According", "Speaking", "From ", "Training")


def _takes_opener(frame: str) -> bool:
    """A statement that can follow "Yesterday," without sounding wrong."""
    return frame.endswith(".") and not frame.startswith(_NO_OPENER_STARTS)


def _assemble(pieces: list[Piece], lowercase: bool, drop_final_stop: bool) -> tuple[str, list]:
    """Join pieces into a sentence and record each entity's character span (start, end, type)."""
    pieces = [(text, kind) for text, kind in pieces if text]
    if pieces and pieces[0][0][:1].islower():
        text0, kind0 = pieces[0]
        pieces[0] = (text0[:1].upper() + text0[1:], kind0)
    if drop_final_stop and pieces and pieces[-1][1] is None and pieces[-1][0].endswith("."):
        pieces[-1] = (pieces[-1][0][:-1], None)
    text = ""
    spans = []
    for piece, kind in pieces:
        piece = piece.lower() if lowercase else piece
        if kind is not None:
            spans.append((len(text), len(text) + len(piece), kind))
        text += piece
    return text.rstrip(), spans


def align(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """Tokenize text with rnncore.text.tokenize and give each token the BIO tag of the entity span
    (start, end, type) it lies in. A token that crosses a span boundary is a bug in a frame."""
    text = normalize(text)
    tokens = tokenize(text)
    tags = []
    cursor = 0
    open_span = None
    for token in tokens:
        start = text.find(token, cursor)
        if start < 0:
            raise ValueError(f"token {token!r} not found in {text!r}")
        end = cursor = start + len(token)
        span = next((s for s in spans if s[0] < end and start < s[1]), None)
        if span is None:
            tags.append("O")
            open_span = None
            continue
        if start < span[0] or end > span[1]:
            raise ValueError(f"token {token!r} crosses the entity boundary in {text!r}")
        tags.append(("I-" if open_span == span else "B-") + span[2])
        open_span = span
    return tokens, tags


def generate_ner_examples(n: int, seed: int, split: str = "train") -> list[NerExample]:
    """n sentences with their frame and, for ambiguity sentences, the (word, sense) drawn."""
    _check_split(split)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    generator = _Generator(split, random.Random(f"ner:{split}:{seed}"))
    return [generator.example() for _ in range(n)]


def generate_ner(n: int, seed: int, split: str = "train") -> list[tuple[list[str], list[str]]]:
    """n (tokens, BIO tags) pairs; the same (n, seed, split) always gives the same sentences.

    >>> tokens, tags = generate_ner(1, seed=0)[0]
    >>> len(tokens) == len(tags) and set(tags) <= set(LABELS)
    True
    """
    return [(ex.tokens, ex.tags) for ex in generate_ner_examples(n, seed, split)]


def generate_ner_text(n: int, seed: int, split: str = "train") -> list[tuple[str, list[str]]]:
    """n (sentence text, BIO tags of tokenize(text)) pairs, e.g. for presets in the app."""
    return [(ex.text, ex.tags) for ex in generate_ner_examples(n, seed, split)]
