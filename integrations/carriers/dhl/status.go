package dhl

import (
	"strings"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// mapping is what one DHL status code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps the five statusCode values of the Shipment Tracking –
// Unified API, on the way out and (prefixed "return:") on a shipment with
// returnFlag, to a stage and problem. DHL documents out-for-delivery,
// ready-for-pickup and return codes as "planned but not available", so
// those stages come only from the return flag here; DHL's own "unknown" means
// it has lost sight of a parcel already in its network. Only the free-text
// description tells an arrival from a departure, so an event's
// tracking.Movement is read from it by tracking.MovementOf.
var statusTable = map[string]mapping{
	"pre-transit": {tracking.StagePacked, tracking.ProblemNone},
	"transit":     {tracking.StageInTransit, tracking.ProblemNone},
	"delivered":   {tracking.StageDelivered, tracking.ProblemNone},
	"failure":     {tracking.StageInTransit, tracking.ProblemException},
	"unknown":     {tracking.StageInTransit, tracking.ProblemNone},

	"return:pre-transit": {tracking.StageReturning, tracking.ProblemNone},
	"return:transit":     {tracking.StageReturning, tracking.ProblemNone},
	"return:delivered":   {tracking.StageReturned, tracking.ProblemNone},
	"return:failure":     {tracking.StageReturning, tracking.ProblemException},
	"return:unknown":     {tracking.StageReturning, tracking.ProblemNone},
}

// wordRule reads one kind of DHL event from its free text: any of the
// phrases (lower case) marks it, unless one of the exceptions does. Key
// becomes the event's code when DHL sent none, so two different events at
// the same minute and place stay two events.
type wordRule struct {
	Key      string
	Phrases  []string
	Except   []string
	Map      mapping
	Movement tracking.Movement
}

// wordRules read DHL's event descriptions, for DHL Express, whose events carry
// no statusCode, and to refine the five coarse codes other divisions send
// ("transit" covers the delivery van; "failure" covers a missed delivery).
// The phrases are DHL Express's checkpoint texts (the Unified API returns
// them in English by default and in the language= of the request: German,
// Spanish, French, Italian, Dutch, Portuguese and Polish phrases are
// included). Rules are tried in order; the first match wins, so failure and
// hand-over texts come before the plain "delivered" ones they contain.
var wordRules = []wordRule{
	// A delivery that did not happen.
	{Key: "attempted", Phrases: []string{"delivery attempted", "recipient not home", "not at home", "could not be delivered", "unable to deliver",
		"zustellversuch", "nicht angetroffen", "nicht zu hause", "intento de entrega", "destinatario ausente", "tentative de livraison", "destinataire absent",
		"tentativo di consegna", "destinatario assente", "bezorgpoging", "niet thuis", "tentativa de entrega", "próba doręczenia", "nieobecn"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemFailedAttempt}},
	{Key: "refused", Phrases: []string{"refused", "verweigert", "rechazad", "refusé", "rifiutat", "geweigerd", "recusad", "odmówi"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemException}},
	{Key: "address", Phrases: []string{"address information needed", "incorrect address", "address problem", "adressinformationen", "adresse unvollständig", "falsche adresse",
		"información de dirección", "dirección incorrecta", "informations d'adresse", "adresse incorrecte", "indirizzo errato", "adres onvolledig",
		"endereço incorreto", "nieprawidłowy adres"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemActionRequired}},
	{Key: "payment-due", Phrases: []string{"upon receipt of payment", "awaiting payment", "payment required", "zahlung erforderlich", "warten auf zahlung",
		"pendiente de pago", "en attente de paiement", "in attesa di pagamento", "wacht op betaling", "aguardando pagamento", "oczekuje na płatność"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemActionRequired}},
	{Key: "returned", Phrases: []string{"returned to shipper", "return to shipper", "returned to sender", "back to the sender", "zurück an den absender",
		"rücksendung an den absender", "devuelto al remitente", "retour à l'expéditeur", "retourné à l'expéditeur", "restituita al mittente", "retour afzender",
		"devolvido ao remetente", "zwrot do nadawcy"},
		Map: mapping{tracking.StageReturning, tracking.ProblemNone}},
	{Key: "clearance-delay", Phrases: []string{"clearance delay", "verzögerung bei der verzollung", "retraso en el despacho", "retard de dédouanement",
		"ritardo nello sdoganamento", "vertraging inklaring", "atraso no desembaraço", "opóźnienie odprawy"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemDelayed}},
	{Key: "on-hold", Phrases: []string{"shipment on hold", "on hold", "sendung zurückgehalten", "envío retenido", "envío en espera", "envoi en attente",
		"spedizione in attesa", "zending vastgehouden", "remessa retida", "przesyłka wstrzymana"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemDelayed}},
	{Key: "damaged", Phrases: []string{"damaged", "beschädigt", "dañad", "endommag", "danneggiat", "beschadigd", "danificad", "uszkodz"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemException}},
	// Collection by the recipient, then delivery.
	{Key: "collected", Phrases: []string{"collected by the recipient", "picked up by the recipient", "vom empfänger abgeholt", "vom empfänger in der filiale abgeholt", "aus der packstation abgeholt", "recogido por el destinatario",
		"retiré par le destinataire", "ritirata dal destinatario", "opgehaald door de ontvanger"},
		Map: mapping{tracking.StageDelivered, tracking.ProblemNone}},
	{Key: "pickup-point", Phrases: []string{"awaiting collection", "ready for pickup", "ready for collection", "available for pickup", "zur abholung bereit",
		"abholbereit", "disponible para recoger", "disponible en point relais", "disponible au retrait", "disponibile per il ritiro", "ligt klaar", "disponível para retirada",
		"gotowa do odbioru"},
		Map: mapping{tracking.StageAvailableForPickup, tracking.ProblemNone}},
	{Key: "out-for-delivery", Phrases: []string{"with delivery courier", "out with courier", "out for delivery", "loaded onto the delivery vehicle",
		"in zustellung", "zustellfahrzeug", "beim zusteller", "con el mensajero", "en reparto", "en cours de livraison", "avec le coursier", "in consegna",
		"con il corriere", "bij de koerier", "wordt bezorgd", "em rota de entrega", "com o estafeta", "przekazana kurierowi", "w doręczeniu"},
		Map: mapping{tracking.StageOutForDelivery, tracking.ProblemNone}},
	{Key: "delivered", Phrases: []string{"delivered", "zugestellt", "entregad", "livré", "consegnat", "afgeleverd", "bezorgd", "doręczon"},
		Except: []string{"not delivered", "not be delivered", "will be delivered", "to be delivered", "undelivered", "nicht zugestellt", "wird zugestellt", "wird heute zugestellt", "wird voraussichtlich",
			"no entregad", "non livré", "non consegnat", "niet bezorgd", "nie doręczon"},
		Map: mapping{tracking.StageDelivered, tracking.ProblemNone}},
	// Before and through the network.
	{Key: "info-received", Phrases: []string{"shipment information received", "instruction data", "label created", "sendungsdaten", "elektronisch angekündigt",
		"información del envío recibida", "informations d'expédition reçues", "informazioni sulla spedizione ricevute", "zendinginformatie ontvangen",
		"informações da remessa recebidas", "otrzymano informacje"},
		Map: mapping{tracking.StagePacked, tracking.ProblemNone}},
	{Key: "picked-up", Phrases: []string{"picked up", "abgeholt", "recogid", "enlevé", "collecté", "ritirat", "opgehaald", "recolhid", "odebrana od nadawcy"},
		Map: mapping{tracking.StageShipped, tracking.ProblemNone}},
	{Key: "accepted", Phrases: []string{"accepted", "angenommen", "aceptad", "acceptée", "accettat", "geaccepteerd", "aceite", "przyjęt"},
		Map: mapping{tracking.StageShipped, tracking.ProblemNone}},
	{Key: "cleared", Phrases: []string{"clearance processing complete", "customs clearance completed", "cleared customs", "released by customs", "verzollung abgeschlossen",
		"despacho de aduana completado", "dédouanement terminé", "sdoganamento completato", "inklaring voltooid", "desembaraço concluído", "odprawa celna zakończona"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}, Movement: tracking.MovementArrived},
	{Key: "customs", Phrases: []string{"customs", "zoll", "aduana", "douane", "dogana", "alfândega", "cło", "celn"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}, Movement: tracking.MovementArrived},
	{Key: "departed", Phrases: []string{"departed", "abgang", "verlassen", "salió", "salida", "départ", "partita", "vertrokken", "partiu", "opuściła"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}, Movement: tracking.MovementDeparted},
	{Key: "arrived", Phrases: []string{"arrived", "ankunft", "eingetroffen", "llegó", "llegada", "arrivé", "arrivée", "arrivata", "aangekomen", "chegou", "dotarła"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}, Movement: tracking.MovementArrived},
	{Key: "processed", Phrases: []string{"processed", "bearbeitet", "procesad", "traité", "lavorat", "elaborat", "verwerkt", "processad", "przetworzon"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}, Movement: tracking.MovementArrived},
	{Key: "payment-received", Phrases: []string{"payment is received", "zahlung erhalten", "pago recibido", "paiement reçu", "pagamento ricevuto", "betaling ontvangen"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}},
	{Key: "transit", Phrases: []string{"in transit", "will be delivered", "to be delivered", "wird heute zugestellt", "wird voraussichtlich", "transferred", "forwarded", "scheduled for delivery", "unterwegs", "en tránsito", "en transit", "in transito",
		"onderweg", "em trânsito", "w drodze"},
		Map: mapping{tracking.StageInTransit, tracking.ProblemNone}},
}

// readWords finds the first rule whose phrases the text contains.
func readWords(text string) (wordRule, bool) {
	t := strings.ToLower(text)
rules:
	for _, r := range wordRules {
		for _, x := range r.Except {
			if strings.Contains(t, x) {
				continue rules
			}
		}
		for _, p := range r.Phrases {
			if strings.Contains(t, p) {
				return r, true
			}
		}
	}
	return wordRule{}, false
}

// refines reports whether wording w may replace the coarse mapping of DHL's
// statusCode code: "transit" may become a delivery run, a pickup point or a
// problem; "failure" and "unknown" may say which problem, or a return.
// Wording never overrides "delivered" or "pre-transit".
func refines(code string, w wordRule) bool {
	switch code {
	case "transit":
		return w.Map.Stage != tracking.StageDelivered && w.Map.Stage != tracking.StagePacked
	case "failure":
		return w.Map.Problem != tracking.ProblemNone || w.Map.Stage.Return()
	case "unknown":
		return w.Map.Stage != tracking.StageDelivered && w.Map.Stage != tracking.StagePacked
	}
	return false
}
