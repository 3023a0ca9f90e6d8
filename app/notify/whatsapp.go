package notify

// WhatsAppVariables are the message fields a WhatsApp template's numbered
// variables ({{1}}, {{2}}, …) may be mapped to, in the order the admin
// offers them.
var WhatsAppVariables = []string{
	"shop.name", "customer.first_name", "customer.name", "order.name", "shipment.carrier_name",
	"shipment.tracking_number", "tracking_url", "action_url",
}

// WhatsAppFields are the values of WhatsAppVariables in one message.
func WhatsAppFields(d Data) map[string]string {
	return map[string]string{
		"shop.name": d.Shop.Name, "customer.first_name": d.Customer.FirstName, "customer.name": d.Customer.Name,
		"order.name": d.Order.Name, "shipment.carrier_name": d.Shipment.CarrierName,
		"shipment.tracking_number": d.Shipment.TrackingNumber, "tracking_url": d.TrackingURL, "action_url": d.ActionURL,
	}
}
