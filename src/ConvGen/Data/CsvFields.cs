using System.Collections.Generic;
using System.Text;

namespace ConvGen.Data;

/// <summary>Splits one CSV line into fields, shared by the CSV loaders.</summary>
internal static class CsvFields
{
    // RFC 4180 fields on one line: "quoted, with ""escaped"" quotes" or plain.
    public static void Split(string line, char separator, List<string> fields)
    {
        fields.Clear();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }
        fields.Add(field.ToString());
    }
}
