// The Salesforce API version prm-sync speaks. sfdx-project.json's sourceApiVersion must equal it
// (a metadata test checks that), so the package and the middleware never drift apart.
export const SALESFORCE_API_VERSION = '62.0';
