<#
.SYNOPSIS
    Generates the MAML help file of the CapMap module (platyPS is not available here).

.DESCRIPTION
    Combines the help text in tools/help/CapMap.HelpContent.ps1 with the parameter metadata of the built module
    (types, mandatory, positions, pipeline input, aliases, parameter sets) and writes
    src/CapMap.PowerShell/en-US/CapMap.PowerShell.dll-Help.xml. Fails when a cmdlet or a parameter has no text.
    build.ps1 -Task Help builds the module and runs this in a child pwsh; commit the regenerated file.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/CapMap/CapMap.psd1'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../src/CapMap.PowerShell/en-US/CapMap.PowerShell.dll-Help.xml')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$module = Import-Module -Name (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath -PassThru -Force
$content = & (Join-Path $PSScriptRoot 'help/CapMap.HelpContent.ps1')
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $Type.Name
}

function Write-Paragraphs([System.Xml.XmlWriter] $w, [string[]] $Text) {
    $w.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($p in $Text) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
    $w.WriteEndElement()
}

function Get-PipelineText($attrs) {
    $kinds = @()
    if (@($attrs | Where-Object ValueFromPipeline).Count) { $kinds += 'ByValue' }
    if (@($attrs | Where-Object ValueFromPipelineByPropertyName).Count) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-Parameter([System.Xml.XmlWriter] $w, $parameter, $attrs, [string] $description, [bool] $withDefault) {
    $isSwitch = $parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $position = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object Position) | Select-Object -First 1
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', ([string](@($attrs | Where-Object Mandatory).Count -gt 0)).ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ([string]$parameter.ParameterType.IsArray).ToLowerInvariant())
    $w.WriteAttributeString('globbing', ([string]($parameter.Name -eq 'Path' -and $parameter.ParameterType -eq [string[]])).ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', (Get-PipelineText $attrs))
    $w.WriteAttributeString('position', $(if ($null -ne $position) { [string]$position } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $parameter.Name)
    Write-Paragraphs $w @($description)
    if (-not $isSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', ([string]$parameter.ParameterType.IsArray).ToLowerInvariant())
        $w.WriteString((Get-TypeName $parameter.ParameterType))
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev)
    $w.WriteElementString('maml', 'name', $ns.maml, (Get-TypeName $parameter.ParameterType))
    $w.WriteElementString('maml', 'uri', $ns.maml, '')
    $w.WriteEndElement()
    if ($withDefault) { $w.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($isSwitch) { 'False' } else { 'None' })) }
    $w.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $OutputPath)
$w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
try {
    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($name in (Import-PowerShellDataFile -LiteralPath $ModuleManifest).CmdletsToExport) {
        $command = Get-Command -Name $name -Module $module.Name
        $text = $content[$name]
        if (-not $text) { throw "tools/help/CapMap.HelpContent.ps1 has no entry for $name." }
        $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $common })
        foreach ($p in $parameters) {
            if (-not $text.Parameters[$p.Name]) { throw "Parameter -$($p.Name) of $name has no description in tools/help/CapMap.HelpContent.ps1." }
        }

        $w.WriteStartElement('command', 'command', $ns.command)
        $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
        $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
        $w.WriteStartElement('command', 'details', $ns.command)
        $w.WriteElementString('command', 'name', $ns.command, $name)
        $w.WriteElementString('command', 'verb', $ns.command, $command.Verb)
        $w.WriteElementString('command', 'noun', $ns.command, $command.Noun)
        Write-Paragraphs $w @($text.Synopsis)
        $w.WriteEndElement()
        Write-Paragraphs $w @($text.Description)

        $w.WriteStartElement('command', 'syntax', $ns.command)
        foreach ($set in $command.ParameterSets) {
            $w.WriteStartElement('command', 'syntaxItem', $ns.command)
            $w.WriteElementString('maml', 'name', $ns.maml, $name)
            foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common }) {
                $p = $command.Parameters[$sp.Name]
                $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') })
                Write-Parameter $w $p $attrs $text.Parameters[$p.Name] $false
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $parameters | Sort-Object Name) {
            $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            Write-Parameter $w $p $attrs $text.Parameters[$p.Name] $true
        }
        $w.WriteEndElement()

        foreach ($kind in @(@('inputTypes', 'inputType', $text.Inputs), @('returnValues', 'returnValue', $text.Outputs))) {
            $w.WriteStartElement('command', $kind[0], $ns.command)
            foreach ($item in $kind[2]) {
                $w.WriteStartElement('command', $kind[1], $ns.command)
                $w.WriteStartElement('dev', 'type', $ns.dev)
                $w.WriteElementString('maml', 'name', $ns.maml, $item.Type)
                $w.WriteEndElement()
                Write-Paragraphs $w @($item.Description)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }

        $w.WriteStartElement('maml', 'alertSet', $ns.maml)
        $w.WriteStartElement('maml', 'alert', $ns.maml)
        $w.WriteElementString('maml', 'para', $ns.maml, $text.Notes)
        $w.WriteEndElement()
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'examples', $ns.command)
        $i = 0
        foreach ($example in $text.Examples) {
            $i++
            $w.WriteStartElement('command', 'example', $ns.command)
            $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example $i --------------------------")
            $w.WriteElementString('dev', 'code', $ns.dev, $example.Code)
            $w.WriteStartElement('dev', 'remarks', $ns.dev)
            $w.WriteElementString('maml', 'para', $ns.maml, $example.Remarks)
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $ns.command)
        foreach ($other in @('Import-CapnpSchema', 'New-CapnpMappedMessage', 'Export-CapnpMessage', 'Import-CapnpMessage') | Where-Object { $_ -ne $name }) {
            $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
            $w.WriteElementString('maml', 'linkText', $ns.maml, $other)
            $w.WriteElementString('maml', 'uri', $ns.maml, '')
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement() # command
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
}
finally {
    $w.Dispose()
}
Write-Host "Wrote $OutputPath"
