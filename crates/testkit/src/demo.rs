//! The emulator's public demo credentials and ids (docs/emulator.md), for every test that
//! talks to the demo seed. They are public by design: never a real credential.

pub use cloudneeti_emulator::seed::{
    DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_AWS_ACCOUNT_ID, DEMO_AZURE_ACCOUNT_ID,
    DEMO_GCP_ACCOUNT_ID, DEMO_LICENSE_ID, DEMO_OFFICE_ACCOUNT_ID, DEMO_PENDING_API_KEY,
};
pub use cloudneeti_emulator::{Control, Emulator, FaultKind, FaultSpec, Options, Seed};
