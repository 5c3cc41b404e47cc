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

	// The 2025–26 wording (Options.Wording "2026").
	msgXeroCompanyURL2026 = "Enter a valid company or application URL"
	// A "Create app" of the two-screen dialog whose first screen was not
	// sent with "Next" (or long ago): back to the first screen.
	msgXeroDraftExpired = "Something went wrong. Check the details and try again."
	// Codat, user without the Developer or Administrator role [G].
	msgCodatNoRole = "You need the Developer or Administrator role to manage integrations"
	// Codat emailed code (fault CodatEmailCode), Auth0 style [G].
	msgCodatEmailWrongCode = "The code you entered is invalid or has expired"
	// FreeAgent, after "Regenerate secret" [G].
	msgFARegenerated = "A new OAuth secret has been generated. Copy it now: it won't be shown again."
)

// LabelCodatOTP is the label of the code field on the Codat two-step page.
const LabelCodatOTP = labelCodatOTP
