// Where the walkthrough's links point, for PROD (cloudneeti-api.md, "Environments and portals"):
// the Cloudneeti portal is the address the vendor's Get-BenchmarkSummary.ps1 signs in to
// [script]; the API portal (APIM developer portal) follows the documented
// "<Environment>portal.cloudneeti.com" pattern [page]. Per-environment portals (TRIAL, the
// second PROD region) are not wired yet. Only https://*.cloudneeti.com opens
// (backend.openLink refuses anything else).
export const LINKS = {
  portal: "https://app.cloudneeti.com",
  apiPortal: "https://portal.cloudneeti.com/",
  docs: "https://docs.cloudneeti.com",
} as const;
