//! What a scan of an account finds: the compliance data behind the benchmark summary, the
//! audit report of a job, failed assets and health status.
//!
//! Shapes, field names and vocabularies follow the vendor: the audit report page's sample
//! (`ResourceCategories[].Policies[]`, `Posture`, Compliance Green/Red/Amber/Gray, Severity
//! Critical/High/Moderate/Low/VeryLow, RiskProbability Certain/High/Moderate/NotLikely, Gray
//! policies with RiskProbability `" "` and RiskLevel `""`) [page]; the failed-asset fields the
//! vendor's Generate-FailedAssetReport.ps1 reads [script]; the health page's sample [page]. The
//! figures themselves are generated [ours]: deterministic from the account, the scan and the
//! benchmark, so tests and screenshots are stable, and consistent with each other: a summary's
//! failed resources are exactly the failed assets of the same scan.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::seed::Account;

/// A policy as the catalogue defines it; its results come from a scan.
struct PolicyTemplate {
    id: &'static str,
    title: &'static str,
    /// The audit report's `ServiceName`, also the failed asset's `resourceType`.
    service: &'static str,
    severity: &'static str,
    /// CSBP control number as in the sample [page for Azure; ours elsewhere].
    number: &'static str,
    /// How a failed resource of this policy is addressed (see `resource_id`).
    kind: &'static str,
}

struct CategoryTemplate {
    name: &'static str,
    id: &'static str,
    policies: &'static [PolicyTemplate],
}

const fn p(
    id: &'static str,
    title: &'static str,
    service: &'static str,
    severity: &'static str,
    number: &'static str,
    kind: &'static str,
) -> PolicyTemplate {
    PolicyTemplate { id, title, service, severity, number, kind }
}

// Azure: categories, policy ids, titles, services, control numbers and severities from the
// audit report page's sample [page]; `kind` (the resource provider path) [ours]. An empty
// kind is a subscription-level resource, whose id has no resource group (the script then
// writes "NA").
#[rustfmt::skip]
const AZURE: &[CategoryTemplate] = &[
    CategoryTemplate { name: "Azure - Business continuity and DR", id: "AZ_CSBP_Azure_Business_continuity_DR", policies: &[
        p("VMConfiguredBackup", "Ensure that backup feature is configured for Virtual Machines", "VirtualMachines", "Moderate", "1000.1", "Microsoft.Compute/virtualMachines"),
        p("SLAVM", "Ensure that sufficient capacity is available for Virtual Machines (SLA)", "VirtualMachines", "Moderate", "1000.7", "Microsoft.Compute/virtualMachines"),
        p("BackupVaultHasPolicy", "Ensure that backup policy is associated with every Backup Vault", "BackupVaultService", "Moderate", "1000.6", "Microsoft.RecoveryServices/vaults"),
    ]},
    CategoryTemplate { name: "Azure - Compute (IaaS)", id: "AZ_CSBP_Azure_Compute_IaaS", policies: &[
        p("EnableVulnerabilityScanningId", "Ensure that Vulnerability Assessment solutions is installed on the Virtual Machines", "VirtualMachines", "High", "1100.1", "Microsoft.Compute/virtualMachines"),
        p("AntiVirusInstalledId", "Ensure that Endpoint Protection is installed on the Virtual Machines", "VirtualMachines", "Critical", "1100.2", "Microsoft.Compute/virtualMachines"),
        p("EnsureLatestPatchesVMId", "Ensure that latest OS patches are applied to all Virtual Machines", "VirtualMachines", "Critical", "1100.3", "Microsoft.Compute/virtualMachines"),
        p("EnforceDiskEncryptionVMId", "Ensure that Disk Encryption policy is enforced on the Virtual Machines", "VirtualMachines", "Critical", "1100.4", "Microsoft.Compute/virtualMachines"),
    ]},
    CategoryTemplate { name: "Azure - Compute (PaaS and Serverless)", id: "AZ_CSBP_Azure_Compute_PaaS", policies: &[
        p("AppServiceAlwaysOn", "Ensure that 'Always On' is enabled for App Services deployed on Basic and above App Service Plan", "AppServiceBasicAsp", "Moderate", "1200.2", "Microsoft.Web/sites"),
        p("APIAppAlwaysOn", "Ensure that 'Always On' is enabled for Api Apps deployed on Basic and above App Service Plan", "ApiAppServiceBasicAsp", "Moderate", "1200.3", "Microsoft.Web/sites"),
        p("Http20EnabledMobileApp", "Ensure HTTP/2 is enabled for an App Service Mobile Apps", "MobileAppService", "High", "1200.1", "Microsoft.Web/sites"),
    ]},
    CategoryTemplate { name: "Azure - Data in Transit", id: "AZ_CSBP_Azure_Data_in_Transit", policies: &[
        p("AppGatewayDisableTLSId", "Ensure that TLS 1.0 and 1.1 protocols are disabled for Application Gateway", "AppGatewayDisableTLSService", "Critical", "1400.1", "Microsoft.Network/applicationGateways"),
        p("AppServiceTLS", "Ensure web app is using the latest version of TLS encryption", "AppService", "Critical", "1400.5", "Microsoft.Web/sites"),
    ]},
    CategoryTemplate { name: "Azure - Fundamentals", id: "AZ_CSBP_Azure_Fundamentals", policies: &[
        p("TagsComplianceDepartment", "Ensure that Department tag has been applied for individual Azure resources", "ConfiguredAppInsightId", "VeryLow", "1500.1", "Microsoft.Resources/resources"),
        p("TagsComplianceEnvironment", "Ensure that Environment tag has been applied for individual Azure resources", "ConfiguredAppInsightId", "VeryLow", "1500.2", "Microsoft.Resources/resources"),
    ]},
    CategoryTemplate { name: "Azure - Identity and Access", id: "AZ_CSBP_Azure_Identity_Access", policies: &[
        p("RBAC", "Ensure that no custom subscription owner roles are created", "RBACCustomRoleService", "High", "1600.1", ""),
        p("UserUsingOrganizationAccountId", "Ensure that Azure resources are accessible only through Organization Account", "RBACService", "Critical", "1600.8", ""),
    ]},
    CategoryTemplate { name: "Azure - Key Management", id: "AZ_CSBP_Azure_Key_Management", policies: &[
        p("KeyVaultSoftDelete", "Ensure that Soft Delete is enabled for Key Vault", "KeyVaultDiagnosticService", "High", "1700.4", "Microsoft.KeyVault/vaults"),
        p("KeyVaultVirtualNetworks", "Ensure mission critical Azure KeyVaults are not open to the Internet", "KeyVaultDiagnosticService", "Critical", "1700.5", "Microsoft.KeyVault/vaults"),
    ]},
    CategoryTemplate { name: "Azure - Logging and Auditing", id: "AZ_CSBP_Azure_Logging_Auditing", policies: &[
        p("LogProfileExistsId", "Ensure that a Log Profile exists for Azure Monitor", "ActivityLogProfileService", "Low", "1900.3", ""),
        p("ActivityLogRetentionId", "Ensure that retention period is set to 365 days or greater for Activity Logs", "ActivityLogProfileService", "Low", "1900.4", ""),
    ]},
    CategoryTemplate { name: "Azure - Networking", id: "AZ_CSBP_Azure_Networking", policies: &[
        p("NSGRulesForSubnetsId", "Ensure that inbound and outbound traffic rules are configured for Subnets by associating NSGs to Subnets", "NSGRulesForSubnetsService", "Critical", "2000.1", "Microsoft.Network/virtualNetworks"),
        p("NSGDenyAllRuleId", "Ensure that DenyAll rule is configured for all NSG's", "VirtualNetworkService", "High", "2000.3", "Microsoft.Network/networkSecurityGroups"),
        p("NSGRulesForRDPId", "Ensure that RDP access is restricted from the internet on NSG's", "VirtualNetworkService", "Critical", "2000.6", "Microsoft.Network/networkSecurityGroups"),
        p("NSGRulesForSSHId", "Ensure that SSH access is restricted from the internet on NSG's", "VirtualNetworkService", "Critical", "2000.7", "Microsoft.Network/networkSecurityGroups"),
    ]},
    CategoryTemplate { name: "Azure - Storage and Databases", id: "AZ_CSBP_Azure_Storage_Databases", policies: &[
        p("DataAtRestStorageAccountsId", "Ensure that encryption is enabled for Azure Storage Service", "DataAtRestStorageAccountsService", "Critical", "2200.1", "Microsoft.Storage/storageAccounts"),
        p("StorageSecureTransferRequiredId", "Ensure that 'Secure transfer required' is 'Enabled' for Storage Account", "DataAtRestStorageAccountsService", "Critical", "2200.10", "Microsoft.Storage/storageAccounts"),
        p("StorageBlobServiceEncryptionId", "Ensure that 'Storage service encryption' is set to Enabled for Blob Service", "DataAtRestStorageAccountsService", "High", "2200.11", "Microsoft.Storage/storageAccounts"),
    ]},
];

// AWS, Microsoft 365 and GCP: in the style of the Azure sample [ours]; `kind` is the ARN's
// service and resource type, the 365 object class, or the GCP asset type.
#[rustfmt::skip]
const AWS: &[CategoryTemplate] = &[
    CategoryTemplate { name: "AWS - Identity and Access Management", id: "AWS_CSBP_IAM", policies: &[
        p("IAMUserMFAEnabled", "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password", "IAMUserService", "Critical", "1.2", "iam:user"),
        p("IAMAccessKeyRotated", "Ensure access keys are rotated every 90 days or less", "IAMUserService", "High", "1.4", "iam:user"),
    ]},
    CategoryTemplate { name: "AWS - Logging", id: "AWS_CSBP_Logging", policies: &[
        p("CloudTrailMultiRegion", "Ensure CloudTrail is enabled in all regions", "CloudTrailService", "High", "2.1", "cloudtrail:trail"),
        p("CloudTrailLogValidation", "Ensure CloudTrail log file validation is enabled", "CloudTrailService", "Moderate", "2.2", "cloudtrail:trail"),
    ]},
    CategoryTemplate { name: "AWS - Networking", id: "AWS_CSBP_Networking", policies: &[
        p("SecurityGroupSSHRestricted", "Ensure no security groups allow ingress from 0.0.0.0/0 to port 22", "EC2SecurityGroupService", "Critical", "4.1", "ec2:security-group"),
        p("SecurityGroupRDPRestricted", "Ensure no security groups allow ingress from 0.0.0.0/0 to port 3389", "EC2SecurityGroupService", "Critical", "4.2", "ec2:security-group"),
    ]},
    CategoryTemplate { name: "AWS - Storage", id: "AWS_CSBP_Storage", policies: &[
        p("S3BucketPublicReadProhibited", "Ensure S3 buckets do not allow public read access", "S3BucketService", "Critical", "5.1", "s3:bucket"),
        p("S3BucketEncryption", "Ensure S3 bucket default encryption is enabled", "S3BucketService", "High", "5.2", "s3:bucket"),
        p("EBSVolumeEncrypted", "Ensure EBS volumes are encrypted", "EC2VolumeService", "Moderate", "5.3", "ec2:volume"),
    ]},
];

#[rustfmt::skip]
const OFFICE365: &[CategoryTemplate] = &[
    CategoryTemplate { name: "Microsoft 365 - Account / Authentication", id: "M365_CSBP_Authentication", policies: &[
        p("M365UserMFAEnabled", "Ensure multifactor authentication is enabled for all users in all roles", "AzureADUserService", "Critical", "1.1", "user"),
        p("M365LegacyAuthBlocked", "Ensure modern authentication for Exchange Online is enabled", "ExchangeOnlineService", "High", "1.2", "user"),
    ]},
    CategoryTemplate { name: "Microsoft 365 - Data Management", id: "M365_CSBP_Data_Management", policies: &[
        p("M365ExternalSharingRestricted", "Ensure external sharing of calendars is not available", "ExchangeOnlineService", "Moderate", "3.1", "mailbox"),
        p("M365MailboxAuditing", "Ensure mailbox auditing for all users is Enabled", "ExchangeOnlineService", "Low", "3.2", "mailbox"),
    ]},
];

#[rustfmt::skip]
const GCP: &[CategoryTemplate] = &[
    CategoryTemplate { name: "GCP - Compute", id: "GCP_CSBP_Compute", policies: &[
        p("GCPInstanceNoPublicIP", "Ensure that Compute instances do not have public IP addresses", "ComputeInstanceService", "High", "4.1", "compute.googleapis.com/instances"),
        p("GCPInstanceOSLogin", "Ensure oslogin is enabled for a Project", "ComputeInstanceService", "Moderate", "4.2", "compute.googleapis.com/instances"),
    ]},
    CategoryTemplate { name: "GCP - Storage", id: "GCP_CSBP_Storage", policies: &[
        p("GCPBucketNotPublic", "Ensure that Cloud Storage bucket is not anonymously or publicly accessible", "StorageBucketService", "Critical", "5.1", "storage.googleapis.com/buckets"),
        p("GCPBucketUniformAccess", "Ensure that Cloud Storage buckets have uniform bucket-level access enabled", "StorageBucketService", "Low", "5.2", "storage.googleapis.com/buckets"),
    ]},
];

fn catalogue(connector_type: &str) -> &'static [CategoryTemplate] {
    match connector_type {
        "Azure" => AZURE,
        "AWS" => AWS,
        "Office365" => OFFICE365,
        _ => GCP,
    }
}

/// The most resources one policy can assess in an account [ours]: large enough that the
/// demo's Azure account fails more assets than one page of the script's 1000 holds.
fn max_resources(connector_type: &str) -> u64 {
    match connector_type {
        "Azure" => 700,
        "AWS" => 160,
        "Office365" => 80,
        _ => 60,
    }
}

fn hash(parts: &[&str]) -> u64 {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    u64::from_le_bytes(hasher.finalize()[..8].try_into().expect("8 bytes"))
}

/// One policy's result in one scan.
struct PolicyResult {
    template: &'static PolicyTemplate,
    category: &'static CategoryTemplate,
    number: String,
    total: u64,
    passed: u64,
}

impl PolicyResult {
    /// Gray: nothing to assess; Green: all passed; Red: none passed; Amber: some [page sample].
    fn compliance(&self) -> &'static str {
        match (self.total, self.passed) {
            (0, _) => "Gray",
            (t, p) if p >= t => "Green",
            (_, 0) => "Red",
            _ => "Amber",
        }
    }

    /// As in the sample: Green policies are NotLikely, Red ones Certain, Gray ones `" "`
    /// [page]; an Amber policy's likelihood grows with its failed share [ours].
    fn risk_probability(&self) -> &'static str {
        match self.compliance() {
            "Gray" => " ",
            "Green" => "NotLikely",
            "Red" => "Certain",
            _ => match (self.total - self.passed) * 3 / self.total {
                2.. => "Certain",
                1 => "High",
                _ => "Moderate",
            },
        }
    }

    /// Severity by likelihood, as every pair in the sample has it [page]; pairs the sample
    /// lacks (Moderate likelihood below Critical) [ours].
    fn risk_level(&self) -> &'static str {
        let severe = matches!(self.template.severity, "Critical" | "High");
        match (self.risk_probability(), self.template.severity) {
            (" ", _) => "",
            ("NotLikely", _) => {
                if severe {
                    "Amber"
                } else {
                    "Green"
                }
            }
            ("Certain", "Low" | "VeryLow") => "Amber",
            ("Certain", _) => "Red",
            ("High", _) if severe => "Red",
            ("Moderate", "Critical") => "Red",
            _ => "Amber",
        }
    }

    fn failed(&self) -> u64 {
        self.total - self.passed
    }

    fn to_json(&self) -> Value {
        json!({
            "policyId": self.template.id,
            "shortTitle": self.template.title,
            "serviceName": self.template.service,
            "complianceNumber": self.number,
            "passedResourceCount": self.passed,
            "totalResourceCount": self.total,
            "compliance": self.compliance(),
            "severity": self.template.severity,
            "riskProbability": self.risk_probability(),
            "riskLevel": self.risk_level(),
        })
    }
}

/// A scan's results for one benchmark: which policies it includes, and their counts.
pub struct Scan<'a> {
    account: &'a Account,
    results: Vec<PolicyResult>,
}

impl<'a> Scan<'a> {
    /// `scan_id` is the scan's job id: a new scan passes a different share of the same
    /// resources. The resources (totals) belong to the account and do not change.
    pub fn new(account: &'a Account, benchmark_id: &str, scan_id: &str) -> Scan<'a> {
        let full = benchmark_id == "CSBP" || benchmark_id.contains("CIS");
        let max = max_resources(&account.connector_type);
        let mut results = Vec::new();
        for (c, category) in catalogue(&account.connector_type).iter().enumerate() {
            for (i, template) in category.policies.iter().enumerate() {
                // A compliance benchmark maps a subset of the policies, numbered its own way.
                if !full && hash(&[benchmark_id, template.id]).is_multiple_of(4) {
                    continue;
                }
                let number = if benchmark_id == "CSBP" {
                    template.number.to_string()
                } else {
                    format!("{}.{}", c + 1, i + 1)
                };
                let resources = hash(&[&account.account_id, template.id]);
                let total = if resources % 10 < 3 { 0 } else { 1 + (resources >> 8) % max };
                let outcome = hash(&[&account.account_id, scan_id, template.id]);
                let passed = match outcome % 4 {
                    0 => total,
                    1 => 0,
                    _ if total > 1 => 1 + (outcome >> 8) % (total - 1),
                    _ => total,
                };
                results.push(PolicyResult { template, category, number, total, passed });
            }
        }
        Scan { account, results }
    }

    /// `resourceCategories` and `posture`, as the audit report page's sample [page]. A
    /// category's and the posture's counts are of policies; `compliancePercent` is
    /// green / (total − gray) × 100, 0 when every policy is Gray (every figure of the sample
    /// agrees).
    pub fn report(&self) -> (Vec<Value>, Value) {
        let mut categories: Vec<Value> = Vec::new();
        let mut posture = Counts::default();
        let mut order = 0;
        let mut start = 0;
        while start < self.results.len() {
            let category = self.results[start].category;
            let end = self.results[start..]
                .iter()
                .position(|r| !std::ptr::eq(r.category, category))
                .map_or(self.results.len(), |n| start + n);
            let mut counts = Counts::default();
            for result in &self.results[start..end] {
                counts.add(result.compliance());
                posture.add(result.compliance());
            }
            order += 1;
            let mut entry = counts.to_json();
            let fields = entry.as_object_mut().expect("counts are an object");
            fields.insert("categoryName".into(), category.name.into());
            fields.insert("controlCategoryOrder".into(), order.into());
            fields.insert("categoryId".into(), category.id.into());
            fields.insert(
                "policies".into(),
                self.results[start..end].iter().map(PolicyResult::to_json).collect(),
            );
            categories.push(entry);
            start = end;
        }
        (categories, posture.to_json())
    }

    pub fn failed_asset_count(&self) -> u64 {
        self.results.iter().map(PolicyResult::failed).sum()
    }

    /// Failed assets `skip..skip+take` in a stable order: policy by policy, resource by
    /// resource.
    pub fn failed_assets(&self, skip: u64, take: u64) -> Vec<Value> {
        let mut out = Vec::new();
        let mut index = 0u64;
        for result in &self.results {
            let failed = result.failed();
            if index + failed <= skip {
                index += failed;
                continue;
            }
            let first = skip.saturating_sub(index);
            for n in first..failed {
                if out.len() as u64 == take {
                    return out;
                }
                out.push(failed_asset(self.account, result, n));
            }
            index += failed;
        }
        out
    }
}

#[derive(Default)]
struct Counts {
    green: u64,
    red: u64,
    amber: u64,
    gray: u64,
}

impl Counts {
    fn add(&mut self, compliance: &str) {
        match compliance {
            "Green" => self.green += 1,
            "Red" => self.red += 1,
            "Amber" => self.amber += 1,
            _ => self.gray += 1,
        }
    }

    fn to_json(&self) -> Value {
        let total = self.green + self.red + self.amber + self.gray;
        let assessed = total - self.gray;
        let percent = if assessed == 0 { 0.0 } else { self.green as f64 * 100.0 / assessed as f64 };
        json!({
            "total": total,
            "green": self.green,
            "red": self.red,
            "amber": self.amber,
            "gray": self.gray,
            "compliancePercent": percent,
        })
    }
}

const AZURE_REGIONS: &[&str] = &["eastus", "westeurope", "centralindia"];
const AWS_REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-south-1"];
const GCP_ZONES: &[&str] = &["us-central1-a", "europe-west1-b"];

/// A cloud-native id for an account: the Azure subscription, the AWS account number, the
/// GCP project [ours].
pub fn cloud_id(account: &Account) -> String {
    let h = hash(&[&account.account_id, "cloud"]);
    match account.connector_type.as_str() {
        "AWS" => format!("{:012}", h % 1_000_000_000_000),
        "GCP" => format!("contoso-{:06}", h % 1_000_000),
        _ => {
            let bytes = Sha256::digest(format!("{}/subscription", account.account_id));
            let mut b = [0u8; 16];
            b.copy_from_slice(&bytes[..16]);
            uuid::Builder::from_random_bytes(b).into_uuid().to_string()
        }
    }
}

/// The failed asset `n` of a policy, with the fields Generate-FailedAssetReport.ps1 reads
/// [script]. `tags` is an object: the script turns it into `@{name=value; …}` and cuts the
/// `@{` and `}`, which only makes sense for an object [script]. Some values carry commas and
/// quotes, as real tags do; some assets have none.
fn failed_asset(account: &Account, result: &PolicyResult, n: u64) -> Value {
    let template = result.template;
    let pick = |list: &[&'static str]| list[(n % list.len() as u64) as usize];
    let cloud = cloud_id(account);
    let (name, id, region) = match account.connector_type.as_str() {
        "Azure" => {
            let short = template.kind.rsplit('/').next().unwrap_or("resource");
            let name = format!("{}-{n:04}", short.to_ascii_lowercase());
            let region = pick(AZURE_REGIONS);
            let id = if template.kind.is_empty() {
                format!("/subscriptions/{cloud}")
            } else {
                let group = pick(&["rg-prod-web", "rg-prod-data", "rg-shared-services"]);
                format!(
                    "/subscriptions/{cloud}/resourceGroups/{group}/providers/{}/{name}",
                    template.kind
                )
            };
            (if template.kind.is_empty() { cloud.clone() } else { name }, id, region)
        }
        "AWS" => {
            let (service, kind) = template.kind.split_once(':').unwrap_or(("ec2", "resource"));
            let name = format!("{kind}-{n:05x}");
            let region = pick(AWS_REGIONS);
            (name.clone(), format!("arn:aws:{service}:{region}:{cloud}:{kind}/{name}"), region)
        }
        "Office365" => {
            let name = format!("{}{n:03}@contoso.example", template.kind);
            (name.clone(), name, "Global")
        }
        _ => {
            let zone = pick(GCP_ZONES);
            let name = format!("{}-{n:04}", template.kind.rsplit('/').next().unwrap_or("asset"));
            let id = format!("//{}/projects/{cloud}/zones/{zone}/{name}", template.kind);
            (name, id, zone)
        }
    };
    let tags = match n % 4 {
        0 => json!({"Environment": "Production", "Owner": "it-ops@contoso.example"}),
        1 => Value::Object(Map::new()),
        2 => json!({"CostCenter": "4711"}),
        _ => json!({"Project": "Apollo, \"Phase 2\""}),
    };
    json!({
        "resourceName": name,
        "resourceId": id,
        "resourceType": template.service,
        "resourceRegion": region,
        "accessLevel": if n.is_multiple_of(5) { "Public" } else { "Private" },
        "policyId": template.id,
        "shortTitle": template.title,
        "categoryName": result.category.name,
        "impact": template.severity,
        "tags": tags,
    })
}

/// One prerequisite of the health page's sample: (name, description, noOfPolicies, required,
/// category, referLink). Azure's from the page [page]; the others [ours] in its style.
type Prerequisite = (&'static str, &'static str, &'static str, bool, &'static str, &'static str);

#[rustfmt::skip]
const AZURE_PREREQUISITES: &[Prerequisite] = &[
    ("Subscription Reader", "Required to collect azure resource configuration metadata from azure subscription", "All", true, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/azureSubscriptions/#21-grant-azure-subscription-reader-role"),
    ("Web Site Contributor", "Required to collect Api/Mobile/Web/Function app metadata", "11", false, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/grantAccessToAzureSubscriptionAdditionalRoles/#31-grant-azure-subscription-website-contributor-role"),
    ("Storage Account Contributor/Storage Account Key Operator Service", "Required to collect data for blob metadata", "1", false, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/grantAccessToAzureSubscriptionAdditionalRoles/#32-grant-azure-subscription-storage-account-contributor-role"),
    ("Network Contributor", "Required to collect data for Network Security Groups metadata", "1", false, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/grantAccessToAzureSubscriptionAdditionalRoles/#33-grant-azure-subscription-network-contributor-role"),
    ("IAM data collector", "An Azure Automation Account resource is deployed to collect data from Azure Active Directory control plane which exposes the data only through PowerShell.In case of pre-requisite failure, data from past 30 days is utilized for compliance", "18", false, "Pre-Requisites - Advanced Security Configurations", "https://docs.cloudneeti.com/onboardingGuide/azureAdvancedSecurityConfigurations/"),
    ("Security Center quick win", "Azure Security Center(ASC) helps to audit the security configurations of resource along with security recommendations. Configure ASC configuration using quick wins.", "117", false, "Pre-Requisites - Enable Azure Security Center audit policies", "https://docs.cloudneeti.com/onboardingGuide/enableASCAuditPolicies/"),
    ("User.Read.All/Directory.Read.All", "Required to collect azure active directory users metadata", "3", false, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/azureSubscriptions/#grant-admin-consent-for-api-permissions_1"),
];

#[rustfmt::skip]
const AWS_PREREQUISITES: &[Prerequisite] = &[
    ("SecurityAudit policy", "Required to collect AWS resource configuration metadata through the cross-account role", "All", true, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/amazonWebServiceAccounts/"),
    ("CloudTrail enabled", "Required to collect AWS API activity for logging policies", "6", false, "Pre-Requisites - Logging", "https://docs.cloudneeti.com/onboardingGuide/amazonWebServiceAccounts/"),
    ("AWS Config recorder", "Required to collect configuration history of AWS resources", "4", false, "Pre-Requisites - Advanced Security Configurations", "https://docs.cloudneeti.com/onboardingGuide/amazonWebServiceAccounts/"),
];

#[rustfmt::skip]
const OFFICE365_PREREQUISITES: &[Prerequisite] = &[
    ("Global Reader", "Required to collect Microsoft 365 tenant configuration metadata", "All", true, "Permissions", "https://docs.cloudneeti.com/onboardingGuide/office365Subscription/"),
    ("M365 data collector", "An Azure Automation Account resource is deployed to collect Exchange Online and SharePoint data which is exposed only through PowerShell", "42", false, "Pre-Requisites - Advanced Security Configurations", "https://docs.cloudneeti.com/onboardingGuide/office365Subscription/"),
];

#[rustfmt::skip]
const GCP_PREREQUISITES: &[Prerequisite] = &[
    ("Project Viewer", "Required to collect GCP resource configuration metadata", "All", true, "Permissions", "https://docs.cloudneeti.com/"),
    ("Security Reviewer", "Required to collect IAM policies of the project", "5", false, "Permissions", "https://docs.cloudneeti.com/"),
];

/// `prerequisites` of the health status: the required ones complete (the account could not
/// be scanned otherwise), the first optional one incomplete and the rest by the account
/// [ours], so every connector shows some of each.
pub fn prerequisites(account: &Account) -> Vec<Value> {
    let list = match account.connector_type.as_str() {
        "Azure" => AZURE_PREREQUISITES,
        "AWS" => AWS_PREREQUISITES,
        "Office365" => OFFICE365_PREREQUISITES,
        _ => GCP_PREREQUISITES,
    };
    list.iter()
        .enumerate()
        .map(|(i, (name, description, policies, required, category, link))| {
            let complete =
                *required || (i > 1 && hash(&[&account.account_id, name]).is_multiple_of(2));
            json!({
                "name": name,
                "isHealthy": if complete { "complete" } else { "incomplete" },
                "description": description,
                "noOfPolicies": policies,
                "required": required,
                "category": category,
                "referLink": link,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{Seed, DEMO_AZURE_ACCOUNT_ID};

    fn azure() -> Account {
        Seed::demo().licenses[0]
            .accounts
            .iter()
            .find(|a| a.account_id == DEMO_AZURE_ACCOUNT_ID)
            .cloned()
            .unwrap()
    }

    #[test]
    fn figures_agree_with_each_other_as_in_the_page_sample() {
        let account = azure();
        let scan = Scan::new(&account, "CSBP", "job-1");
        let (categories, posture) = scan.report();
        let policies: Vec<&Value> =
            categories.iter().flat_map(|c| c["policies"].as_array().unwrap()).collect();
        assert_eq!(posture["total"], policies.len());
        let gray = policies.iter().filter(|p| p["compliance"] == "Gray").count();
        let green = policies.iter().filter(|p| p["compliance"] == "Green").count();
        assert_eq!(posture["gray"], gray);
        let percent = posture["compliancePercent"].as_f64().unwrap();
        assert!((percent - green as f64 * 100.0 / (policies.len() - gray) as f64).abs() < 1e-9);
        for p in &policies {
            if p["compliance"] == "Gray" {
                assert_eq!(
                    (p["riskProbability"].as_str(), p["riskLevel"].as_str()),
                    (Some(" "), Some(""))
                );
            }
        }
        let failed: u64 = policies
            .iter()
            .map(|p| {
                p["totalResourceCount"].as_u64().unwrap()
                    - p["passedResourceCount"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(failed, scan.failed_asset_count());
        assert!(failed > 2000, "the demo Azure account fills several pages of 1000: {failed}");
        assert_eq!(scan.failed_assets(0, u64::MAX).len() as u64, failed);
    }

    #[test]
    fn pages_of_failed_assets_tile_the_whole_list() {
        let account = azure();
        let scan = Scan::new(&account, "CSBP", "job-1");
        let all = scan.failed_assets(0, u64::MAX);
        let mut paged = Vec::new();
        for page in 0.. {
            let chunk = scan.failed_assets(page * 700, 700);
            if chunk.is_empty() {
                break;
            }
            paged.extend(chunk);
        }
        assert_eq!(paged, all);
    }

    #[test]
    fn a_new_scan_changes_results_but_not_resources_and_benchmarks_pick_subsets() {
        let account = azure();
        let (a, _) = Scan::new(&account, "CSBP", "job-1").report();
        let (b, _) = Scan::new(&account, "CSBP", "job-2").report();
        assert_ne!(a, b);
        let totals = |c: &[Value]| -> Vec<Value> {
            c.iter()
                .flat_map(|c| {
                    c["policies"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["totalResourceCount"].clone())
                })
                .collect()
        };
        assert_eq!(totals(&a), totals(&b));
        let csbp = Scan::new(&account, "CSBP", "job-1").results.len();
        assert!(Scan::new(&account, "PCI3_2", "job-1").results.len() < csbp);
    }

    #[test]
    fn every_connector_has_some_incomplete_prerequisites_and_the_required_ones_complete() {
        for account in &Seed::demo().licenses[0].accounts {
            let list = prerequisites(account);
            assert!(
                list.iter().any(|p| p["isHealthy"] == "incomplete"),
                "{}",
                account.connector_type
            );
            assert!(list
                .iter()
                .filter(|p| p["required"] == true)
                .all(|p| p["isHealthy"] == "complete"));
        }
    }
}
