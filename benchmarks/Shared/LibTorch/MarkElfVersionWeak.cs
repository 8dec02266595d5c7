// MSBuild task (compiled by RoslynCodeTaskFactory, see LibTorchSharp.targets next to this file).
//
// Why: TorchSharp 0.107.0's native shim libLibTorchSharp.so was linked with GCC 13, so its
// version-needs table (.gnu.version_r) asks libstdc++.so.6 for GLIBCXX_3.4.32. Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, and the dynamic loader refuses to load the shim. The only
// symbol bound to that version is std::ios_base_library_init() (GCC 13's iostream start-up
// hook), which has no relocation in the shim and is therefore never called. Marking the
// requirement weak (VER_FLG_WEAK = 0x2 in its Elf64_Vernaux entry) makes ld.so accept a
// libstdc++ without that version (it only mentions it with LD_DEBUG / LD_WARN); every other
// symbol still binds to the versions the system provides.
//
// What: edits ONE file, the copy in the build output, in place: only the 16-bit vna_flags of the
// matching Vernaux entries change; the file keeps its size. The NuGet cache is never touched.
// Idempotent: an entry that is already weak is left as it is. Files that are not 64-bit
// little-endian ELF, or that lack the version, are left unchanged with a message.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The ELF shared object to edit in place.</summary>
    [Required]
    public string File { get; set; } = "";

    /// <summary>The version name whose requirement becomes weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string Version { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.File.Exists(File))
        {
            Log.LogMessage(MessageImportance.High, $"MarkElfVersionWeak: {File} does not exist; nothing to patch.");
            return true;
        }
        byte[] elf = System.IO.File.ReadAllBytes(File);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogMessage(MessageImportance.High, $"MarkElfVersionWeak: {File} is not a 64-bit little-endian ELF file; left unchanged.");
            return true;
        }
        ulong sectionTable = U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3a);
        int sectionCount = U16(elf, 0x3c);
        int changed = 0, alreadyWeak = 0;
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)sectionTable + s * sectionSize);
            if (U32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }
            int offset = checked((int)U64(elf, header + 0x18));
            int entries = (int)U32(elf, header + 0x2c); // sh_info: number of Verneed entries
            int strings = checked((int)U64(elf, checked((int)sectionTable + (int)U32(elf, header + 0x28) * sectionSize) + 0x18)); // sh_link -> .dynstr
            int need = offset;
            for (int n = 0; n < entries; n++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int count = U16(elf, need + 2);
                int aux = need + (int)U32(elf, need + 8);
                for (int a = 0; a < count; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    string name = CString(elf, strings + (int)U32(elf, aux + 8));
                    if (name == Version)
                    {
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            alreadyWeak++;
                        }
                        else
                        {
                            ushort weak = (ushort)(flags | VerFlgWeak);
                            elf[aux + 4] = (byte)weak;
                            elf[aux + 5] = (byte)(weak >> 8);
                            changed++;
                        }
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                need += (int)U32(elf, need + 12);
            }
        }
        if (changed > 0)
        {
            string temporary = File + ".patching";
            System.IO.File.WriteAllBytes(temporary, elf);
            // Replace the directory entry instead of writing through it: the output copy could be a
            // hard link into the NuGet cache, which must stay as published.
            System.IO.File.Delete(File);
            System.IO.File.Move(temporary, File);
            Log.LogMessage(MessageImportance.High, $"MarkElfVersionWeak: {Path.GetFileName(File)}: requirement {Version} marked weak ({changed} entr{(changed == 1 ? "y" : "ies")}).");
        }
        else if (alreadyWeak > 0)
        {
            Log.LogMessage(MessageImportance.Normal, $"MarkElfVersionWeak: {Path.GetFileName(File)}: {Version} is already weak.");
        }
        else
        {
            Log.LogMessage(MessageImportance.High, $"MarkElfVersionWeak: {Path.GetFileName(File)} does not require {Version}; left unchanged.");
        }
        return !Log.HasLoggedErrors;
    }

    private static ushort U16(byte[] b, int at) => BitConverter.ToUInt16(b, at);

    private static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);

    private static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

    private static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
