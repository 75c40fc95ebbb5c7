using YamlDotNet.RepresentationModel;

namespace Tagstream.Tests.Hashtags;

/// <summary>Reads twitter-text-hashtags.yml with a real YAML parser (its strings use YAML escapes such as \U0002xxxx).</summary>
internal static class ConformanceCases
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Cases = new(Load);

    public static IReadOnlyList<ConformanceCase> All => Cases.Value;

    private static List<ConformanceCase> Load()
    {
        using var reader = new StreamReader(TestDataFiles.PathOf("twitter-text-hashtags.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var sections = (YamlMappingNode)root.Children[new YamlScalarNode("tests")];
        var cases = new List<ConformanceCase>();
        foreach (var (sectionKey, sectionNode) in sections.Children)
        {
            var section = ((YamlScalarNode)sectionKey).Value!;
            foreach (var node in (YamlSequenceNode)sectionNode)
            {
                var map = (YamlMappingNode)node;
                var expected = (YamlSequenceNode)map.Children[new YamlScalarNode("expected")];
                var tags = new List<string>();
                List<(int, int)>? indices = null;
                foreach (var item in expected)
                {
                    if (item is YamlScalarNode scalar)
                    {
                        tags.Add(scalar.Value!);
                        continue;
                    }

                    var entry = (YamlMappingNode)item;
                    tags.Add(Scalar(entry, "hashtag"));
                    var pair = (YamlSequenceNode)entry.Children[new YamlScalarNode("indices")];
                    indices ??= [];
                    indices.Add((int.Parse(((YamlScalarNode)pair[0]).Value!, System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(((YamlScalarNode)pair[1]).Value!, System.Globalization.CultureInfo.InvariantCulture)));
                }

                cases.Add(new ConformanceCase(section, Scalar(map, "description"), Scalar(map, "text"), tags, indices));
            }
        }

        return cases;
    }

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[new YamlScalarNode(key)]).Value!;
}
