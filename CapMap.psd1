# Module manifest for CapMap. build.ps1 copies this file into out/CapMap/ next to the assemblies.
@{
    RootModule           = 'CapMap.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '0030dca3-ca3d-4593-bf81-5bd42f84e32d'
    Author               = 'CapMap contributors'
    CompanyName          = 'CapMap'
    Copyright            = '(c) CapMap contributors.'
    Description          = "Builds Cap'n Proto messages directly inside memory-mapped files that grow on demand, producing ordinary Cap'n Proto stream files."
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('CapMap.format.ps1xml')

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
        'Test-CapMapPlatform'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags = @('CapnProto', 'Capnp', 'Serialization', 'MemoryMappedFile', 'Linux', 'PSEdition_Core')
        }
    }
}
