#include "seed/words.hpp"

#include <array>

namespace soulstone::seed::words {

namespace {

using namespace std::string_view_literals;

constexpr std::array kFirst = {
    "Ada"sv,     "Aiko"sv,  "Alba"sv,    "Amara"sv,  "Anders"sv, "Anna"sv,  "Arjun"sv, "Aurelio"sv,
    "Beatriz"sv, "Bruno"sv, "Camille"sv, "Carmen"sv, "Chen"sv,   "Clara"sv, "Dalia"sv, "Daniel"sv,
    "Dara"sv,    "Elif"sv,  "Elena"sv,   "Emil"sv,   "Esme"sv,   "Farid"sv, "Femi"sv,  "Freya"sv,
    "Gabriel"sv, "Greta"sv, "Hana"sv,    "Hugo"sv,   "Ines"sv,   "Ivan"sv,  "Jana"sv,  "Jonas"sv,
    "Julia"sv,   "Kai"sv,   "Kamala"sv,  "Karin"sv,  "Kenji"sv,  "Lara"sv,  "Leon"sv,  "Lina"sv,
    "Luca"sv,    "Maja"sv,  "Malik"sv,   "Marta"sv,  "Mateo"sv,  "Mila"sv,  "Nadia"sv, "Nico"sv,
    "Nina"sv,    "Noah"sv,  "Olga"sv,    "Omar"sv,   "Paula"sv,  "Pedro"sv, "Priya"sv, "Rafael"sv,
    "Rosa"sv,    "Ruben"sv, "Sara"sv,    "Selin"sv,  "Simon"sv,  "Sofia"sv, "Tariq"sv, "Tessa"sv,
    "Theo"sv,    "Uma"sv,   "Vera"sv,    "Viktor"sv, "Wen"sv,    "Yara"sv,  "Yusuf"sv, "Zoe"sv,
};

constexpr std::array kLast = {
    "Abara"sv,    "Alvarez"sv, "Andersen"sv, "Bakker"sv,   "Berg"sv,      "Bianchi"sv, "Brandt"sv,
    "Castillo"sv, "Costa"sv,   "Dahl"sv,     "Dubois"sv,   "Eriksen"sv,   "Fischer"sv, "Fontaine"sv,
    "Garcia"sv,   "Haas"sv,    "Hansen"sv,   "Horvat"sv,   "Ibrahim"sv,   "Jansen"sv,  "Kaya"sv,
    "Keller"sv,   "Kovac"sv,   "Lambert"sv,  "Lehmann"sv,  "Lindqvist"sv, "Lopez"sv,   "Maier"sv,
    "Marino"sv,   "Meyer"sv,   "Moreau"sv,   "Nakamura"sv, "Nielsen"sv,   "Novak"sv,   "Okafor"sv,
    "Olsen"sv,    "Park"sv,    "Peeters"sv,  "Perez"sv,    "Petrov"sv,    "Quinn"sv,   "Ricci"sv,
    "Romero"sv,   "Rossi"sv,   "Sato"sv,     "Schmidt"sv,  "Silva"sv,     "Singh"sv,   "Sorensen"sv,
    "Tanaka"sv,   "Torres"sv,  "Vargas"sv,   "Vogel"sv,    "Wagner"sv,    "Weber"sv,   "Yilmaz"sv,
    "Zhang"sv,    "Zimmer"sv,
};

constexpr std::array kStreets = {
    "Acacia Avenue"sv, "Alder Lane"sv,   "Beech Road"sv,     "Birch Street"sv,  "Canal Walk"sv,
    "Cedar Close"sv,   "Chapel Row"sv,   "Cherry Lane"sv,    "Clover Way"sv,    "Elm Street"sv,
    "Fern Gardens"sv,  "Harbour View"sv, "Hazel Grove"sv,    "Juniper Drive"sv, "Lantern Yard"sv,
    "Larch Terrace"sv, "Linden Place"sv, "Maple Crescent"sv, "Meadow Lane"sv,   "Mill Street"sv,
    "Oak Avenue"sv,    "Orchard Road"sv, "Poplar Court"sv,   "Quarry Hill"sv,   "River Road"sv,
    "Rowan Way"sv,     "Station Road"sv, "Willow Bank"sv,
};

constexpr std::array kCities = {
    City{"Amsterdam"sv, "NL"sv, "#### AA"sv}, City{"Antwerp"sv, "BE"sv, "####"sv},
    City{"Barcelona"sv, "ES"sv, "#####"sv},   City{"Berlin"sv, "DE"sv, "#####"sv},
    City{"Bologna"sv, "IT"sv, "#####"sv},     City{"Bordeaux"sv, "FR"sv, "#####"sv},
    City{"Bristol"sv, "GB"sv, "AA# #AA"sv},   City{"Copenhagen"sv, "DK"sv, "####"sv},
    City{"Dublin"sv, "IE"sv, "A## A#A#"sv},   City{"Edinburgh"sv, "GB"sv, "AA# #AA"sv},
    City{"Gothenburg"sv, "SE"sv, "### ##"sv}, City{"Graz"sv, "AT"sv, "####"sv},
    City{"Hamburg"sv, "DE"sv, "#####"sv},     City{"Helsinki"sv, "FI"sv, "#####"sv},
    City{"Krakow"sv, "PL"sv, "##-###"sv},     City{"Leipzig"sv, "DE"sv, "#####"sv},
    City{"Lisbon"sv, "PT"sv, "####-###"sv},   City{"Ljubljana"sv, "SI"sv, "####"sv},
    City{"Lyon"sv, "FR"sv, "#####"sv},        City{"Milan"sv, "IT"sv, "#####"sv},
    City{"Munich"sv, "DE"sv, "#####"sv},      City{"Oslo"sv, "NO"sv, "####"sv},
    City{"Porto"sv, "PT"sv, "####-###"sv},    City{"Prague"sv, "CZ"sv, "### ##"sv},
    City{"Rotterdam"sv, "NL"sv, "#### AA"sv}, City{"Seville"sv, "ES"sv, "#####"sv},
    City{"Tallinn"sv, "EE"sv, "#####"sv},     City{"Utrecht"sv, "NL"sv, "#### AA"sv},
    City{"Valencia"sv, "ES"sv, "#####"sv},    City{"Vienna"sv, "AT"sv, "####"sv},
    City{"Vilnius"sv, "LT"sv, "LT-#####"sv},  City{"Zurich"sv, "CH"sv, "####"sv},
};

constexpr std::array kLorem = {
    "lorem"sv,      "ipsum"sv,        "dolor"sv,
    "sit"sv,        "amet"sv,         "consectetur"sv,
    "adipiscing"sv, "elit"sv,         "sed"sv,
    "do"sv,         "eiusmod"sv,      "tempor"sv,
    "incididunt"sv, "ut"sv,           "labore"sv,
    "et"sv,         "dolore"sv,       "magna"sv,
    "aliqua"sv,     "enim"sv,         "ad"sv,
    "minim"sv,      "veniam"sv,       "quis"sv,
    "nostrud"sv,    "exercitation"sv, "ullamco"sv,
    "laboris"sv,    "nisi"sv,         "aliquip"sv,
    "ex"sv,         "ea"sv,           "commodo"sv,
    "consequat"sv,  "duis"sv,         "aute"sv,
    "irure"sv,      "in"sv,           "reprehenderit"sv,
    "voluptate"sv,  "velit"sv,        "esse"sv,
    "cillum"sv,     "fugiat"sv,       "nulla"sv,
    "pariatur"sv,
};

constexpr std::array kAdjectives = {
    "Amber"sv,   "Ancient"sv,  "Bright"sv, "Calm"sv,   "Copper"sv, "Crimson"sv, "Deep"sv,   "Dusky"sv,
    "Emerald"sv, "Gentle"sv,   "Golden"sv, "Hollow"sv, "Ivory"sv,  "Jade"sv,    "Lunar"sv,  "Misty"sv,
    "Mossy"sv,   "Obsidian"sv, "Pale"sv,   "Quiet"sv,  "Rose"sv,   "Rustic"sv,  "Silent"sv, "Silver"sv,
    "Smoky"sv,   "Solar"sv,    "Stormy"sv, "Velvet"sv, "Wild"sv,   "Winter"sv,
};

constexpr std::array kNouns = {
    "Amulet"sv,  "Bowl"sv,      "Candle"sv, "Charm"sv,  "Crystal"sv, "Geode"sv,    "Incense"sv,
    "Journal"sv, "Lantern"sv,   "Locket"sv, "Mirror"sv, "Pendant"sv, "Pouch"sv,    "Quartz"sv,
    "Ring"sv,    "Runestone"sv, "Scarf"sv,  "Sphere"sv, "Stone"sv,   "Talisman"sv, "Tea"sv,
    "Tiles"sv,   "Tray"sv,      "Vase"sv,   "Wand"sv,
};

// Reserved for documentation and testing (RFC 2606, RFC 6761).
constexpr std::array kDomains = {"example.com"sv, "example.org"sv, "example.net"sv, "mail.test"sv,
                                 "shop.invalid"sv};

constexpr std::array kCurrencies = {"EUR"sv, "USD"sv, "GBP"sv, "CHF"sv, "SEK"sv};

constexpr std::array kMime = {"image/jpeg"sv, "image/png"sv, "image/webp"sv, "video/mp4"sv,
                              "application/pdf"sv};

}  // namespace

std::span<const std::string_view> first_names() noexcept { return kFirst; }
std::span<const std::string_view> last_names() noexcept { return kLast; }
std::span<const std::string_view> streets() noexcept { return kStreets; }
std::span<const City> cities() noexcept { return kCities; }
std::span<const std::string_view> lorem() noexcept { return kLorem; }
std::span<const std::string_view> adjectives() noexcept { return kAdjectives; }
std::span<const std::string_view> nouns() noexcept { return kNouns; }
std::span<const std::string_view> email_domains() noexcept { return kDomains; }
std::span<const std::string_view> currencies() noexcept { return kCurrencies; }
std::span<const std::string_view> mime_types() noexcept { return kMime; }

}  // namespace soulstone::seed::words
