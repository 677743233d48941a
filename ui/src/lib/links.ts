// Where the walkthrough's links point. ASSUMPTION: the public documentation we have does not
// give these addresses; they are kept here, in one place, to be checked against Cloudneeti's
// current sites. Only https://*.cloudneeti.com opens (backend.openLink refuses anything else).
export const LINKS = {
  portal: "https://app.cloudneeti.com",
  apiPortal: "https://developer.cloudneeti.com",
  docs: "https://docs.cloudneeti.com",
} as const;
