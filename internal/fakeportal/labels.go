package fakeportal

// Messages the replicas show whose real wording is a guess ([G] in
// portal-spec.md). Labels of fields and buttons are written in the
// templates, always through L (Rename) and show (Remove).
const (
	msgXeroWrongPassword = "Your email or password is incorrect"
	msgXeroLocked        = "Your account has been locked after too many failed attempts. Try again in 2 hours or reset your password."
	msgXeroWrongCode     = "That code didn't work. Check the code and try again."
	msgXeroDetailsSaved  = "App details saved"
	msgXeroConfigSaved   = "Configuration saved"

	msgCodatWrongPassword = "Wrong email or password"
	msgCodatWrongCode     = "The code you entered is invalid"
	msgCodatSaved         = "Settings saved successfully"
	// Codat MFA page (Auth0 style).
	labelCodatOTP = "Enter your one-time code"

	msgFAInvalid  = "Invalid email or password."
	msgFASignedIn = "Signed in successfully."
	msgFACreated  = "App was successfully created."
)

// LabelCodatOTP is the label of the code field on the Codat two-step page.
const LabelCodatOTP = labelCodatOTP
