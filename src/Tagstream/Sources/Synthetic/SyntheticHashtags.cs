namespace Tagstream.Sources.Synthetic;

/// <summary>
/// The real-looking hashtags at the head of the synthetic stream's Zipf distribution, where a newcomer's first screen
/// looks: topics people tag in a dozen languages, and English topics joined with the words people add to them
/// (<c>footballnews</c>, <c>catsofmastodon</c>). Written for Tagstream, lower case and NFC as the counter sees them,
/// 3 to 20 text elements each.
/// </summary>
internal static class SyntheticHashtags
{
    // Topics tagged in English, and the words people join to them.
    private static readonly string[] s_english =
    [
        "football", "soccer", "worldcup", "basketball", "baseball", "cricket", "tennis", "golf", "rugby", "hockey",
        "running", "cycling", "fitness", "yoga", "climbing", "surfing", "skiing", "marathon", "olympics", "formula1",
        "premierleague", "championsleague", "laliga", "seriea", "bundesliga", "ligue1", "nba", "nfl", "mlb", "ufc",
        "boxing", "chess", "esports", "gaming", "minecraft", "indiedev", "gamedev", "pixelart", "retrogaming", "speedrun",
        "dotnet", "csharp", "fsharp", "python", "rustlang", "golang", "javascript", "typescript", "java", "kotlin",
        "swift", "linux", "opensource", "devops", "kubernetes", "docker", "cloud", "aws", "azure", "cybersecurity",
        "infosec", "datascience", "machinelearning", "deeplearning", "llm", "openai", "robotics", "programming", "coding", "webdev",
        "frontend", "backend", "database", "postgres", "sqlite", "startup", "tech", "gadgets", "iphone", "android",
        "bitcoin", "ethereum", "crypto", "fintech", "stocks", "investing", "economy", "business", "marketing", "jobs",
        "hiring", "remotework", "productivity", "leadership", "education", "teachers", "students", "science", "physics", "chemistry",
        "biology", "astronomy", "space", "nasa", "spacex", "climate", "climatechange", "sustainability", "renewables", "solar",
        "nature", "wildlife", "birds", "birding", "trees", "ocean", "mountains", "hiking", "camping", "travel",
        "travelphotography", "wanderlust", "roadtrip", "vanlife", "photography", "streetphotography", "filmphotography", "art", "digitalart", "drawing",
        "painting", "illustration", "sketch", "design", "typography", "architecture", "interiors", "fashion", "style", "beauty",
        "makeup", "skincare", "music", "newmusic", "hiphop", "jazz", "rock", "metal", "indie", "kpop",
        "jpop", "classical", "vinyl", "livemusic", "concert", "festival", "podcast", "radio", "movies", "film",
        "cinema", "netflix", "anime", "manga", "comics", "books", "reading", "booktok", "writing", "poetry",
        "history", "philosophy", "politics", "election", "democracy", "news", "breakingnews", "weather", "storm", "heatwave",
        "earthquake", "wildfire", "flood", "food", "foodie", "cooking", "baking", "recipe", "vegan", "vegetarian",
        "coffee", "tea", "wine", "beer", "pizza", "sushi", "ramen", "tacos", "brunch", "dessert",
        "health", "mentalhealth", "wellness", "meditation", "sleep", "nutrition", "family", "parenting", "friends", "love",
        "wedding", "birthday", "weekend", "mondaymotivation", "tuesdaythoughts", "throwbackthursday", "fridayfeeling", "caturday", "sundayfunday", "motivation",
        "inspiration", "quotes", "memes", "funny", "humor", "cats", "dogs", "pets", "puppy", "kitten",
        "garden", "gardening", "houseplants", "diy", "crafts", "knitting", "woodworking", "cars", "motorcycles", "aviation",
        "trains", "london", "paris", "berlin", "madrid", "rome", "amsterdam", "tokyo", "seoul", "newyork",
        "chicago", "toronto", "sydney", "mumbai", "lagos", "nairobi", "cairo", "istanbul", "dubai", "singapore",
        "sunset", "sunrise", "beach", "summer", "winter", "spring", "autumn", "snow", "rain", "christmas",
        "halloween", "newyear", "thanksgiving", "easter", "pride", "earthday", "blackfriday", "superbowl", "eurovision", "oscars",
    ];

    private static readonly string[] s_englishSuffixes =
    [
        "news", "life", "fans", "daily", "live", "community", "lovers", "tips", "talk", "time",
        "2026", "club", "world", "day", "vibes", "memes", "art", "photo", "team", "updates",
    ];

    // Topics tagged in other languages and scripts: accents, CJK, Hangul, Cyrillic, Arabic and Devanagari.
    private static readonly string[] s_otherLanguages =
    [
        // Spanish
        "fútbol", "música", "noticias", "viajes", "comida", "recetas", "cine", "libros", "política", "elecciones",
        "lluvia", "verano", "navidad", "méxico", "españa", "argentina", "colombia", "felizlunes", "buenosdías", "ligamx",
        "selección", "fotografía", "naturaleza", "tecnología", "educación", "salud", "economía", "cultura", "arte", "madrid2026",
        // French
        "actualité", "musique", "cinéma", "voyage", "cuisine", "météo", "grève", "élections", "bonjour", "vendredi",
        "québec", "montréal", "littérature", "photographie", "écologie", "santé", "rentrée", "été", "noël", "français",
        // German
        "fußball", "nachrichten", "wetter", "urlaub", "musik", "bundestag", "energiewende", "kaffee", "wandern", "fahrrad",
        "köln", "münchen", "hamburg", "österreich", "schweiz", "bücher", "kochen", "garten", "wochenende", "zürich",
        // Portuguese
        "futebol", "notícias", "brasil", "viagem", "receita", "saúde", "lisboa", "portugal", "brasileirão", "carnaval",
        // Italian
        "calcio", "notizie", "viaggi", "cucina", "musica", "roma", "milano", "napoli", "fotografia", "italia",
        // Dutch, Nordic, Polish, Turkish
        "voetbal", "nieuws", "fotboll", "nyheter", "fodbold", "piłkanożna", "wiadomości", "futbol", "haberler", "müzik",
        // Japanese
        "サッカー", "ニュース", "天気予報", "アニメ", "ゲーム", "旅行好き", "料理好き", "猫のいる生活", "東京観光", "地震速報",
        "おはようございます", "映画好き", "音楽好き", "写真好きな人と繋がりたい", "お弁当", "日本代表", "桜前線", "ラーメン", "読書記録", "今日の空",
        // Chinese
        "足球比赛", "音乐分享", "新闻速递", "电影推荐", "美食日记", "旅行日记", "科技新闻", "天气预报", "春节快乐", "中秋节",
        // Korean
        "축구경기", "음악추천", "오늘의뉴스", "영화추천", "여행스타그램", "맛집탐방", "서울여행", "케이팝", "먹스타그램", "일상생활",
        // Russian, Ukrainian
        "футбол", "новости", "музыка", "погода", "путешествия", "кино", "книги", "україна", "київ", "природа",
        // Arabic
        "كرة_القدم", "أخبار", "رمضان", "السعودية", "مصر", "الإمارات", "سفر", "طقس", "رياضة", "تقنية",
        // Hindi
        "क्रिकेट", "समाचार", "भारत", "बॉलीवुड", "दिवाली",
        // A few with an emoji, as some people write them
        "football⚽", "fire🔥", "party🎉", "launch🚀", "love❤", "magic✨",
    ];

    /// <summary>The hashtags, topics first, then English topics with the words joined to them, with no repeats.</summary>
    public static IReadOnlyList<string> All { get; } = Build();

    /// <summary>How many of <see cref="All"/>, from the start, are plain topics rather than compounds.</summary>
    public static int Topics { get; } = s_english.Concat(s_otherLanguages).Distinct(StringComparer.Ordinal).Count();

    private static string[] Build()
    {
        var all = new List<string>(s_english.Length * (s_englishSuffixes.Length + 1) + s_otherLanguages.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string tag in s_english.Concat(s_otherLanguages))
        {
            if (seen.Add(tag))
            {
                all.Add(tag);
            }
        }

        // Every topic with every suffix, suffix by suffix, within 20 characters: a few thousand plausible compounds.
        foreach (string suffix in s_englishSuffixes)
        {
            foreach (string topic in s_english)
            {
                string tag = topic + suffix;
                if (tag.Length <= 20 && seen.Add(tag))
                {
                    all.Add(tag);
                }
            }
        }

        return [.. all];
    }
}
