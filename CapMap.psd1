# Module manifest for CapMap. build.ps1 copies this file into out/CapMap/ next to the assemblies, and
# -Task Package turns that folder into out/package/CapMap.<version>.nupkg.
@{
    RootModule           = 'CapMap.PowerShell.dll'
    # The one place the version is written: Directory.Build.props reads it for the assemblies.
    ModuleVersion        = '0.1.0'
    GUID                 = '0030dca3-ca3d-4593-bf81-5bd42f84e32d'
    Author               = 'CapMap contributors'
    CompanyName          = 'CapMap'
    Copyright            = '(c) CapMap contributors.'
    Description          = "A PowerShell 7 module for Linux x64 that turns pipeline objects into Cap'n Proto message files, built in place inside memory-mapped files that grow on demand, and reads them back."
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    # No FormatsToProcess: it would rebuild the session's format database at every import. The cmdlets that
    # output a type CapMap.format.ps1xml has views for load it on first use (src/CapMap.PowerShell/LazyFormatData.cs).

    # Explicit list: no wildcards, so command discovery never has to load the assembly.
    # Names not implemented yet are tolerated by Import-Module and simply not exported.
    CmdletsToExport      = @(
        'Import-CapnpSchema'
        'New-CapnpMappedMessage'
        'Add-CapnpStruct'
        'Complete-CapnpMappedMessage'
        'Save-CapnpMappedMessage'
        'Get-CapnpMappedMessage'
        'Close-CapnpMappedMessage'
        'Repair-CapnpMappedMessage'
        'Resize-CapnpMappedMessage'
        'Export-CapnpMessage'
        'Import-CapnpMessage'
        'Get-CapnpMessageInfo'
        'Get-CapnpSchema'
        'ConvertTo-CapnpSchema'
        'Test-CapMapPlatform'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('CapnProto', 'Capnp', 'Serialization', 'MemoryMappedFile', 'mmap', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/capmap/capmap'
            LicenseUri   = 'https://github.com/capmap/capmap/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0 - first release.
- Cmdlets: Import-CapnpSchema (.capnp via the capnp tool, or precompiled with -SavePrecompiled), New-/Add-/Save-/
  Complete-/Repair-/Resize-CapnpMappedMessage, Export-/Import-CapnpMessage, Get-CapnpMessageInfo, Test-CapMapPlatform.
- Messages are built inside a growing memory-mapped file (Fault or Eager growth), checkpointed, repairable after a
  crash, and read by every Cap'n Proto reader once complete.
- Ships native libraries for linux-x64 only; needs PowerShell 7.4 or later. See Get-Help about_CapMap.
'@
        }
    }
}
