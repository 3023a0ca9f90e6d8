package storage

import (
	"time"
)

// Platform names the commerce platform a shop runs on.
type Platform string

// The supported platforms.
const (
	Shopify     Platform = "shopify"
	WooCommerce Platform = "woocommerce"
	// CarrierPush names carrier pushes (AfterShip) among stored webhook deliveries.
	CarrierPush Platform = "aftership"
)

// Shop is a merchant's store. Secret columns hold Cipher-sealed bytes; read
// and write them through DB.ShopSecrets / SetShopSecrets.
type Shop struct {
	ID       int64
	Platform Platform
	Domain   string
	Name     string
	Status   string // active | uninstalled
	Email    string
	Timezone string
	Currency string
	// Locale is the shop's primary language ("de", "pt-BR") and Plan its
	// platform plan's display name; both are written by SetShopIdentity,
	// never on create, so shops made before their migration still insert.
	Locale           string `gorm:"<-:update"`
	Plan             string `gorm:"<-:update"`
	AccessToken      []byte
	AccessExpiresAt  *time.Time
	RefreshToken     []byte
	RefreshExpiresAt *time.Time
	Scopes           string
	WebhookSecret    []byte
	APIKey           []byte
	APISecret        []byte
	Settings         JSON[Settings]
	InstalledAt      *time.Time
	UninstalledAt    *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time

	// SessionGeneration is signed into every admin session; bumping it
	// ends them all (see DB.EndAdminSessions). Never written on create,
	// so shops made before its migration (and by tests of it) still insert.
	SessionGeneration int `gorm:"<-:update"`

	// KlaviyoKey is the shop's Klaviyo private API key, sealed; empty when
	// the shop does not use Klaviyo. HelpdeskKey (sealed) and its SHA-256
	// authenticate the shop's helpdesk. Written only by their setters.
	KlaviyoKey      []byte `gorm:"<-:update"`
	HelpdeskKey     []byte `gorm:"<-:update"`
	HelpdeskKeyHash []byte `gorm:"<-:update"`
}

// Settings are the merchant's choices: branding, support, channels, COD.
type Settings struct {
	Branding     Branding            `json:"branding"`
	SupportEmail string              `json:"support_email,omitempty"`
	SupportURL   string              `json:"support_url,omitempty"`
	ReturnsURL   string              `json:"returns_url,omitempty"`
	FAQ          []FAQItem           `json:"faq,omitempty"`
	Channels     map[string][]string `json:"channels,omitempty"`    // trigger -> channels; empty = defaults
	QuietStart   string              `json:"quiet_start,omitempty"` // "21:00" in the shopper's zone
	QuietEnd     string              `json:"quiet_end,omitempty"`   // "08:00"
	DailyCap     int                 `json:"daily_cap,omitempty"`
	// CallsPerWeek caps update calls per shopper in any 7 days; 0 is
	// notify's default (2).
	CallsPerWeek int      `json:"calls_per_week,omitempty"`
	SenderName   string   `json:"sender_name,omitempty"`
	SenderEmail  string   `json:"sender_email,omitempty"`
	CODGateways  []string `json:"cod_gateways,omitempty"`
	// Klaviyo lists the triggers handed to Klaviyo: ordertrack sends the
	// event and the merchant's Klaviyo flow, not ordertrack, messages the
	// shopper. Every trigger is sent to Klaviyo as an event while a key is set.
	Klaviyo []string `json:"klaviyo,omitempty"`
	// ProcessingDays is how many working days the store takes to ship an
	// order; the page shows the day it should ship by. Zero: not said.
	ProcessingDays int `json:"processing_days,omitempty"`
	// ProcessingLabel is the store's word for the step between ordered and
	// shipped ("Hand-stitching"); empty is the page's "Processing".
	ProcessingLabel string `json:"processing_label,omitempty"`
	// NotShippedAlertDays, when set, tells the merchant about an order not
	// shipped that many working days after it was placed.
	NotShippedAlertDays int `json:"not_shipped_alert_days,omitempty"`
	// LabelIdleAlertDays, when set, tells the merchant about a parcel whose
	// label was created that many working days ago without a carrier scan.
	LabelIdleAlertDays int `json:"label_idle_alert_days,omitempty"`
	// NotifyEmail is where shopper requests, test sends and digests go;
	// empty is the shop's own address from the platform (Shop.Email).
	NotifyEmail string `json:"notify_email,omitempty"`
	// SupportPhone is the merchant's support line an update call hands the
	// shopper over to when it cannot understand them.
	SupportPhone string `json:"support_phone,omitempty"`
	// SMSSegmentsMonthly and CallMinutesMonthly cap what the shop spends in
	// a calendar month (UTC); 0 means no cap. Messages beyond a cap go by
	// email instead.
	SMSSegmentsMonthly int `json:"sms_segments_monthly,omitempty"`
	CallMinutesMonthly int `json:"call_minutes_monthly,omitempty"`
	// WhatsAppTemplates are the approved templates (Twilio Content API
	// content SIDs) sent outside WhatsApp's 24 h session window, keyed by
	// WhatsAppTemplateKey(trigger, language).
	WhatsAppTemplates map[string]WhatsAppTemplate `json:"whatsapp_templates,omitempty"`
	// ShopifyTrackingLinks points each Shopify fulfillment's tracking URL
	// at the tracking page, so Shopify's order status page and shipping
	// emails lead there instead of to the carrier.
	ShopifyTrackingLinks bool `json:"shopify_tracking_links,omitempty"`
}

// WhatsAppTemplate is one approved WhatsApp template: its content SID and
// which message field fills each numbered variable ({{1}}, {{2}}, …).
type WhatsAppTemplate struct {
	ContentSID string   `json:"content_sid"`
	Variables  []string `json:"variables,omitempty"` // e.g. ["customer.first_name", "order.name", "tracking_url"]
	Status     string   `json:"status,omitempty"`    // approval status as last read: approved, pending, rejected
	Reason     string   `json:"reason,omitempty"`    // why WhatsApp rejected it
}

// WhatsApp template statuses ordertrack acts on; the others (pending,
// rejected, paused, …) are shown as Twilio reports them.
const (
	TemplateApproved = "approved"
	TemplateNotFound = "not found" // Twilio has no content with this SID on the sender's account
)

// WhatsAppTemplateKey keys Settings.WhatsAppTemplates: "delivered:es".
func WhatsAppTemplateKey(trigger, language string) string { return trigger + ":" + language }

// NotifyAddress is where the merchant wants to hear about shopper requests,
// test sends and digests.
func (s *Shop) NotifyAddress() string {
	if a := s.Settings.V.NotifyEmail; a != "" {
		return a
	}
	return s.Email
}

// Branding styles the tracking page.
type Branding struct {
	LogoURL      string `json:"logo_url,omitempty"`
	PrimaryColor string `json:"primary_color,omitempty"`
	AccentColor  string `json:"accent_color,omitempty"`
	FontFamily   string `json:"font_family,omitempty"`
}

// FAQItem is one question and answer shown on the tracking page.
type FAQItem struct {
	Question string `json:"q"`
	Answer   string `json:"a"`
}

// Order is a store order, keyed by the platform's id.
type Order struct {
	ID                int64
	ShopID            int64
	PlatformID        string
	Name              string
	Email             string
	Phone             string
	CustomerName      string
	CustomerID        string // the platform's customer id (Shopify GID)
	Locale            string
	Timezone          string
	Country           string
	Currency          string
	Total             string
	COD               bool `gorm:"column:cod"`
	ShippingAddress   JSON[Address]
	LineItems         JSON[[]LineItem]
	PlatformUpdatedAt *time.Time
	CancelledAt       *time.Time
	// PublicToken opens the order's tracking page before any parcel has
	// shipped (a shipment's own token opens the same page).
	PublicToken string
	// ShippingMethod is the delivery method chosen at checkout, as the store
	// names it ("Standard (3-5 business days)").
	ShippingMethod string
	// Stopped says why nothing of the order is tracked any more (see
	// StopCancelled…); empty while it is.
	Stopped   string
	StoppedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Why an order or a shipment stopped being tracked.
const (
	StopCancelled    = "cancelled"     // the order, or the parcel's fulfillment, was cancelled
	StopRefunded     = "refunded"      // every item was refunded
	StopItemsRemoved = "items_removed" // an edit removed every item
	EndReplaced      = "replaced"      // the store changed or removed the tracking number
)

// Shipment kinds.
const (
	KindDelivery = ""       // a parcel to the shopper
	KindReturn   = "return" // a parcel the shopper sends back
)

// Address is a postal address.
type Address struct {
	Name       string `json:"name,omitempty"`
	Address1   string `json:"address1,omitempty"`
	Address2   string `json:"address2,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// LineItem is one product line of an order.
type LineItem struct {
	ID       string `json:"id,omitempty"` // the platform's line item id
	Title    string `json:"title"`
	Variant  string `json:"variant,omitempty"`
	Quantity int    `json:"quantity"`
	ImageURL string `json:"image_url,omitempty"`
	// Product is the platform's ID of the variant (else product) ordered,
	// whose image is cached in product_images when ImageURL is empty.
	Product string `json:"product,omitempty"`
	// Price is the unit price, a decimal string in the order's currency.
	Price string `json:"price,omitempty"`
	// Removed is how many the platform's latest copy of the order says are
	// gone (refunded or edited away); Changes are the removals applied from
	// single refunds and edits, keyed "refund:ID" / "edit:ID" so each counts
	// once. Both tell the same story from two sides: the larger wins.
	Removed int            `json:"removed,omitempty"`
	Changes map[string]int `json:"changes,omitempty"`
}

// Left is how many of the line the shopper still gets.
func (li LineItem) Left() int {
	sum := 0
	for _, n := range li.Changes {
		sum += n
	}
	return max(0, li.Quantity-max(li.Removed, sum))
}

// Shipment is one tracked parcel, with its derived status and poll schedule.
type Shipment struct {
	ID                    int64
	ShopID                int64
	OrderID               int64
	PlatformFulfillmentID string
	Carrier               string
	CarrierCompany        string // the store's free-text tracking company
	Service               string
	TrackingNumber        string
	TrackingURL           string
	PublicToken           string
	Stage                 string
	Problem               string
	Substatus             string
	OriginCountry         string
	OriginRegion          string
	DestCountry           string
	DestRegion            string
	ETAEarliest           *time.Time `gorm:"column:eta_earliest"`
	ETALatest             *time.Time `gorm:"column:eta_latest"`
	ETASource             string     `gorm:"column:eta_source"`
	ShippedAt             *time.Time
	LastEventAt           *time.Time
	StageAt               *time.Time
	ProblemAt             *time.Time
	DeliveredAt           *time.Time
	NextPollAt            *time.Time
	LastPolledAt          *time.Time
	PollCount             int
	PollFailures          int
	NotFoundSince         *time.Time
	Expired               bool
	PageViews             int
	// Ended says why the shipment is no longer tracked (StopCancelled,
	// EndReplaced, …); an ended shipment is history, never polled.
	Ended   string
	EndedAt *time.Time
	// Kind is KindDelivery or KindReturn.
	Kind string
	// Items are the order lines this parcel carries, when the store says.
	Items     JSON[[]LineItem]
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Fulfillment is the newest state seen of one platform fulfillment.
type Fulfillment struct {
	ID                int64
	ShopID            int64
	OrderID           int64
	PlatformID        string
	Status            string
	PlatformUpdatedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TrackingEvent is one stored carrier scan; (shipment, fingerprint) is unique
// so re-fetched events are no-ops.
type TrackingEvent struct {
	ID          int64
	ShopID      int64
	ShipmentID  int64
	Fingerprint string
	OccurredAt  time.Time
	Stage       string
	Problem     string
	Movement    string
	Code        string
	Description string
	City        string
	Region      string
	PostalCode  string
	Country     string
	CreatedAt   time.Time
}

// ETAChange records every estimate a shipment had, so a message can say what changed.
type ETAChange struct {
	ID         int64
	ShopID     int64
	ShipmentID int64
	Earliest   *time.Time
	Latest     *time.Time
	Source     string
	CreatedAt  time.Time
}

// ShipmentTrigger records that a trigger fired for a shipment; the unique key
// makes each fire once.
type ShipmentTrigger struct {
	ID         int64
	ShopID     int64
	ShipmentID int64
	Key        string
	Trigger    string
	CreatedAt  time.Time
}

// WebhookDelivery is a raw webhook kept for processing and replay;
// (platform, delivery id) is unique so re-deliveries are no-ops.
type WebhookDelivery struct {
	ID          int64
	ShopID      *int64
	Platform    Platform
	DeliveryID  string
	Topic       string
	ShopDomain  string
	Payload     []byte
	Status      string // received | processed | failed
	Error       string
	Note        string // what processing refused on purpose (tracking numbers over the limit)
	Attempts    int
	ReceivedAt  time.Time
	ProcessedAt *time.Time
}

// Delivery statuses.
const (
	DeliveryReceived  = "received"
	DeliveryProcessed = "processed"
	DeliveryFailed    = "failed"
)

// MessageTemplate is one version of a merchant's override of a default template.
type MessageTemplate struct {
	ID        int64
	ShopID    int64
	Trigger   string
	Channel   string
	Locale    string
	Version   int
	Body      string
	CreatedAt time.Time
}

// Notification is one message in the log (and, for the outbox provider, the message itself).
type Notification struct {
	ID         int64
	ShopID     int64
	ShipmentID *int64
	Trigger    string
	Channel    string
	Recipient  string
	DedupeKey  string
	Status     string
	Provider   string
	ProviderID string
	Subject    string
	Body       string
	HTML       string `gorm:"column:html"`
	Error      string
	Units      int `gorm:"<-:update"` // SMS segments or call minutes billed, written when sent
	Attempts   int
	// MergedInto is the later update about the same parcel that carried
	// this held-back news instead (skipped messages only).
	MergedInto *int64
	SendAt     *time.Time
	SentAt     *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Notification statuses.
const (
	NotificationScheduled = "scheduled"
	NotificationSent      = "sent"
	NotificationDelivered = "delivered"
	NotificationOpened    = "opened"
	NotificationFailed    = "failed"
	NotificationSkipped   = "skipped"
)

// CustomerAction is something a shopper asked for: confirm or correct an
// address, reschedule, report "delivered but not received", contact support.
type CustomerAction struct {
	ID         int64
	ShopID     int64
	ShipmentID *int64
	OrderID    *int64
	Kind       string
	Source     string // page | sms | whatsapp | voice
	Details    JSON[map[string]string]
	Status     string
	CreatedAt  time.Time
}

// TableName pins the table name (GORM would guess "eta_changes" too, but
// initialisms are easy to get wrong).
func (ETAChange) TableName() string { return "eta_changes" }

// CallTurn is one exchange of an update call: the shopper's answer (Heard,
// by Input "dtmf" or "speech", with the recogniser's Confidence), what the
// call Said back and the Action it took ("confirm", "ask", "menu",
// "handover", a recorded request's kind…).
type CallTurn struct {
	ID             int64
	ShopID         int64
	NotificationID int64
	ShipmentID     *int64
	Heard          string
	Input          string
	Confidence     float64
	Said           string
	Action         string
	CreatedAt      time.Time
}
