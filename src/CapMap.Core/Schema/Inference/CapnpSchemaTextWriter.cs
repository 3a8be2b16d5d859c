using System.Globalization;
using System.Text;

namespace CapMap.Schema.Inference;

/// <summary>
/// Emits an <see cref="InferredSchema"/> as <c>.capnp</c> text. Every struct is declared at file scope with its
/// id, fields in ordinal order; names that had to be changed carry <c>$originalName("...")</c> and fields with a
/// .NET origin carry <c>$clrType("...")</c>, a union struct's fields sit in its one unnamed <c>union { }</c>, null flags <c>$nullFlagFor("field")</c>. The annotations are declared in the file itself (with ids derived from
/// the file id), so the text compiles on its own and next to other inferred files.
/// </summary>
internal static class CapnpSchemaTextWriter
{
    public static string Write(InferredSchema schema, bool withIds)
    {
        var sb = new StringBuilder();
        sb.Append("# Schema inferred by CapMap. Field offsets follow Cap'n Proto's own layout.\n");
        if (withIds) sb.Append(CultureInfo.InvariantCulture, $"@0x{schema.FileId:x16};\n");
        sb.Append('\n');
        sb.Append("annotation ").Append(InferredSchema.OriginalNameAnnotation);
        if (withIds) sb.Append(CultureInfo.InvariantCulture, $" @0x{schema.OriginalNameAnnotationId:x16}");
        sb.Append(" (struct, enum, field, enumerant) :Text;\n");
        sb.Append("annotation ").Append(InferredSchema.ClrTypeAnnotation);
        if (withIds) sb.Append(CultureInfo.InvariantCulture, $" @0x{schema.ClrTypeAnnotationId:x16}");
        sb.Append(" (field) :Text;\n");
        sb.Append("annotation ").Append(InferredSchema.NullFlagForAnnotation);
        if (withIds) sb.Append(CultureInfo.InvariantCulture, $" @0x{schema.NullFlagForAnnotationId:x16}");
        sb.Append(" (field) :Text;\n");
        if (schema.HasAbsentFlags)
        {
            // Declared only where used: a schema without absence flags is the text (and the file id) it always was.
            sb.Append("annotation ").Append(InferredSchema.AbsentFlagForAnnotation);
            if (withIds) sb.Append(CultureInfo.InvariantCulture, $" @0x{schema.AbsentFlagForAnnotationId:x16}");
            sb.Append(" (field) :Text;\n");
        }
        foreach (var s in schema.Structs)
        {
            AppendScopeStart(sb, "struct", s.Identifier, s.Id, s.Name, withIds);
            // A union struct is all one unnamed union: its members are its fields, one level further in.
            string indent = s.IsUnion ? "    " : "  ";
            if (s.IsUnion) sb.Append("  union {\n");
            foreach (var f in s.Fields)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{indent}{f.Identifier} @{f.Ordinal} :{f.Type}");
                AppendOriginalName(sb, f.Name, f.Identifier);
                if (f.Clr is { } clr)
                    sb.Append(" $").Append(InferredSchema.ClrTypeAnnotation).Append('(').Append(Quote(clr.ToString())).Append(')');
                if (f.FlagsNullOf is { } flagged)
                    sb.Append(" $").Append(InferredSchema.NullFlagForAnnotation).Append('(').Append(Quote(flagged.Identifier)).Append(')');
                if (f.FlagsAbsenceOf is { } absent)
                    sb.Append(" $").Append(InferredSchema.AbsentFlagForAnnotation).Append('(').Append(Quote(absent.Identifier)).Append(')');
                sb.Append(";\n");
            }
            if (s.IsUnion) sb.Append("  }\n");
            sb.Append("}\n");
        }
        foreach (var e in schema.Enums)
        {
            AppendScopeStart(sb, "enum", e.Identifier, e.Id, e.Name, withIds);
            for (int i = 0; i < e.Enumerants.Count; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {e.EnumerantIdentifiers[i]} @{i}");
                AppendOriginalName(sb, e.Enumerants[i], e.EnumerantIdentifiers[i]);
                sb.Append(";\n");
            }
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    private static void AppendScopeStart(StringBuilder sb, string keyword, string identifier, ulong id, string name, bool withIds)
    {
        sb.Append('\n').Append(keyword).Append(' ').Append(identifier);
        if (withIds) sb.Append(CultureInfo.InvariantCulture, $" @0x{id:x16}");
        AppendOriginalName(sb, name, identifier);
        sb.Append(" {\n");
    }

    private static void AppendOriginalName(StringBuilder sb, string name, string identifier)
    {
        if (name != identifier)
            sb.Append(" $").Append(InferredSchema.OriginalNameAnnotation).Append('(').Append(Quote(name)).Append(')');
    }

    private static string Quote(string text) => CapnpLiteral.Quote(text);
}
