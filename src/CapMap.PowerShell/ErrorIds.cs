namespace CapMap.PowerShell;

/// <summary>
/// The stable ErrorIds of CapMap's error records (the first part of <c>FullyQualifiedErrorId</c>). Scripts and
/// tests match on them (<c>Should -Throw -ErrorId 'FileExists,*'</c>), so a value never changes once shipped;
/// docs/cmdlets.md lists what each one means.
/// </summary>
internal static class ErrorIds
{
    public const string PathNotFound = "PathNotFound";
    public const string PathIsDirectory = "PathIsDirectory";
    public const string NotFileSystemPath = "NotFileSystemPath";
    public const string FileExists = "FileExists";
    public const string FileLocked = "FileLocked";
    public const string CapnpToolNotFound = "CapnpToolNotFound";
    public const string SchemaCompileFailed = "SchemaCompileFailed";
    public const string InvalidSchema = "InvalidSchema";
    public const string SchemaRequired = "SchemaRequired";
    public const string RootTypeNotFound = "RootTypeNotFound";
    public const string RootTypeAmbiguous = "RootTypeAmbiguous";
    public const string FieldNotFound = "FieldNotFound";
    public const string FieldRequired = "FieldRequired";
    public const string FieldTypeNotSupported = "FieldTypeNotSupported";
    public const string ListAlreadyCompleted = "ListAlreadyCompleted";
    public const string PropertyConversionFailed = "PropertyConversionFailed";
    public const string RecordConversionFailed = "RecordConversionFailed";
    public const string MessageClosed = "MessageClosed";
    public const string MessageFailed = "MessageFailed";
    public const string CapacityExceeded = "CapacityExceeded";
    public const string CreateFailed = "CreateFailed";
    public const string AccessDenied = "AccessDenied";
    public const string InvalidMessageFile = "InvalidMessageFile";
    public const string RepairFailed = "RepairFailed";
    public const string ResizeFailed = "ResizeFailed";
    public const string ReadFailed = "ReadFailed";
    public const string PlatformProbeFailed = "PlatformProbeFailed";
    public const string FileAccessFailed = "FileAccessFailed";
    public const string FieldOrderNotSupported = "FieldOrderNotSupported";
    public const string TooManyInputs = "TooManyInputs";
    public const string FileTruncated = "FileTruncated";
    public const string CheckpointDataDamaged = "CheckpointDataDamaged";
    public const string NotWrittenByCapMap = "NotWrittenByCapMap";
    public const string PlatformNotSupported = "PlatformNotSupported";
    public const string NoEmbeddedSchema = "NoEmbeddedSchema";
    public const string SchemaTextNotSupported = "SchemaTextNotSupported";
    public const string SchemaMismatch = "SchemaMismatch";
    public const string MessageNotFound = "MessageNotFound";
    public const string RecordTooLarge = "RecordTooLarge";
}
