/* Test-only (crates/cli/tests/windows.rs): takes the credential store away from this Wine
 * user, as Windows does outside a user's own logon session. Wine keeps Credential Manager in
 * the registry key below; an empty DACL on it (no one may open it) makes every Cred* call fail
 * with ERROR_NO_SUCH_LOGON_SESSION, Windows' answer for "no credential store here".
 * Prints what each step returned; exits 0 when the key can no longer be opened. */
#include <windows.h>
#include <stdio.h>

int main(void) {
    HKEY key;
    LONG created = RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\Wine\\Credential Manager", 0,
                                   NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    printf("create: %ld\n", created);
    if (created != ERROR_SUCCESS) return 1;
    SECURITY_DESCRIPTOR sd;
    ACL acl;
    InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    InitializeAcl(&acl, sizeof(acl), ACL_REVISION);
    SetSecurityDescriptorDacl(&sd, TRUE, &acl, FALSE);
    LONG set = RegSetKeySecurity(key, DACL_SECURITY_INFORMATION, &sd);
    printf("deny: %ld\n", set);
    RegCloseKey(key);
    LONG reopened = RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Wine\\Credential Manager", 0,
                                  KEY_READ, &key);
    printf("open after: %ld\n", reopened);
    return reopened == ERROR_ACCESS_DENIED ? 0 : 1;
}
