/**
 * Training text for the character n-gram language profiles: a few paragraphs per language,
 * written for CloudMart (own writing, released with the project under its MIT licence). Mixed
 * everyday and shop vocabulary, so short customer messages look like the profiles.
 */
export const LANGUAGE_SAMPLES = {
  en: `Thank you for shopping with us. Your order has been received and will be shipped within two working days.
When the parcel leaves our warehouse you will get an email with the tracking number, so you can follow the delivery.
If something is wrong with your purchase, please write to our support team and we will help you as quickly as possible.
I would like to return these shoes because they are too small. Could you send me a label, please? The jacket I bought last week
arrived with a broken zipper and I want a refund or a replacement. Where is my package? It was supposed to arrive yesterday
and I have not heard anything from the courier. We were walking through the old town in the evening, and the streets were
quiet after the rain. Children played near the river while their parents talked about the weather and the price of bread.
Everyone agreed that the summer had been long and warm, and that the harvest would be better than the year before.
My account does not let me change the shipping address. Can you cancel the order and refund the money to my card?
The product is great, the quality is excellent and the size fits perfectly. I will definitely buy from this shop again.`,
  es: `Gracias por comprar con nosotros. Hemos recibido su pedido y lo enviaremos en un plazo de dos días laborables.
Cuando el paquete salga de nuestro almacén recibirá un correo con el número de seguimiento para que pueda seguir la entrega.
Si hay algún problema con su compra, escriba a nuestro equipo de atención al cliente y le ayudaremos lo antes posible.
Quiero devolver estos zapatos porque son demasiado pequeños. ¿Me pueden enviar una etiqueta, por favor? La chaqueta que compré
la semana pasada llegó con la cremallera rota y quiero un reembolso o un cambio. ¿Dónde está mi paquete? Tenía que llegar ayer
y el mensajero no me ha dicho nada. Paseábamos por el casco antiguo al atardecer y las calles estaban tranquilas después de la
lluvia. Los niños jugaban cerca del río mientras sus padres hablaban del tiempo y del precio del pan. Todos estaban de acuerdo
en que el verano había sido largo y caluroso, y en que la cosecha sería mejor que la del año anterior.
Mi cuenta no me deja cambiar la dirección de envío. ¿Pueden cancelar el pedido y devolver el dinero a mi tarjeta?
El producto es muy bueno, la calidad es excelente y la talla es perfecta. Sin duda volveré a comprar en esta tienda.`,
  fr: `Merci pour votre achat. Nous avons bien reçu votre commande et elle sera expédiée sous deux jours ouvrés.
Lorsque le colis quittera notre entrepôt, vous recevrez un courriel avec le numéro de suivi afin de suivre la livraison.
Si quelque chose ne va pas avec votre achat, écrivez à notre service client et nous vous aiderons le plus vite possible.
Je voudrais retourner ces chaussures parce qu'elles sont trop petites. Pouvez-vous m'envoyer une étiquette, s'il vous plaît ?
La veste que j'ai achetée la semaine dernière est arrivée avec une fermeture éclair cassée et je souhaite un remboursement ou un
échange. Où est mon colis ? Il devait arriver hier et le transporteur ne m'a donné aucune nouvelle. Nous nous promenions dans
la vieille ville le soir, et les rues étaient calmes après la pluie. Les enfants jouaient près de la rivière pendant que leurs
parents parlaient du temps qu'il fait et du prix du pain. Tout le monde était d'accord pour dire que l'été avait été long et
chaud, et que la récolte serait meilleure que celle de l'année précédente. Mon compte ne me permet pas de changer l'adresse de
livraison. Pouvez-vous annuler la commande et rembourser mon argent sur ma carte ? Le produit est très bien, la qualité est
excellente et la taille est parfaite. Je commanderai encore dans cette boutique sans hésiter.`,
  de: `Vielen Dank für Ihren Einkauf. Wir haben Ihre Bestellung erhalten und werden sie innerhalb von zwei Werktagen versenden.
Sobald das Paket unser Lager verlässt, bekommen Sie eine E-Mail mit der Sendungsnummer, damit Sie die Lieferung verfolgen können.
Wenn mit Ihrem Kauf etwas nicht stimmt, schreiben Sie bitte unserem Kundenservice und wir helfen Ihnen so schnell wie möglich.
Ich möchte diese Schuhe zurückschicken, weil sie zu klein sind. Können Sie mir bitte ein Etikett schicken? Die Jacke, die ich
letzte Woche gekauft habe, kam mit einem kaputten Reißverschluss an und ich möchte eine Erstattung oder einen Umtausch. Wo ist
mein Paket? Es sollte gestern ankommen und der Zusteller hat sich nicht gemeldet. Wir gingen am Abend durch die Altstadt, und
die Straßen waren nach dem Regen ruhig. Die Kinder spielten am Fluss, während ihre Eltern über das Wetter und den Preis des
Brotes sprachen. Alle waren sich einig, dass der Sommer lang und warm gewesen war und dass die Ernte besser sein würde als im
Jahr davor. Mein Konto lässt mich die Lieferadresse nicht ändern. Können Sie die Bestellung stornieren und das Geld auf meine
Karte zurücküberweisen? Das Produkt ist sehr gut, die Qualität ist ausgezeichnet und die Größe passt perfekt. Ich werde
bestimmt wieder in diesem Shop bestellen.`,
  it: `Grazie per aver acquistato da noi. Abbiamo ricevuto il tuo ordine e lo spediremo entro due giorni lavorativi.
Quando il pacco lascerà il nostro magazzino riceverai una email con il numero di tracciamento per seguire la consegna.
Se qualcosa non va con il tuo acquisto, scrivi al nostro servizio clienti e ti aiuteremo il prima possibile.
Vorrei restituire queste scarpe perché sono troppo piccole. Potete mandarmi un'etichetta, per favore? La giacca che ho
comprato la settimana scorsa è arrivata con la cerniera rotta e voglio un rimborso o una sostituzione. Dov'è il mio pacco?
Doveva arrivare ieri e il corriere non mi ha fatto sapere niente. Passeggiavamo per il centro storico la sera, e le strade
erano tranquille dopo la pioggia. I bambini giocavano vicino al fiume mentre i genitori parlavano del tempo e del prezzo del
pane. Tutti erano d'accordo che l'estate era stata lunga e calda, e che il raccolto sarebbe stato migliore di quello dell'anno
prima. Il mio account non mi permette di cambiare l'indirizzo di spedizione. Potete annullare l'ordine e rimborsare i soldi
sulla mia carta? Il prodotto è ottimo, la qualità è eccellente e la taglia è perfetta. Comprerò sicuramente ancora in questo negozio.`,
  pt: `Obrigado por comprar connosco. Recebemos a sua encomenda e vamos enviá-la no prazo de dois dias úteis.
Quando a embalagem sair do nosso armazém, vai receber um email com o número de seguimento para acompanhar a entrega.
Se houver algum problema com a sua compra, escreva para a nossa equipa de apoio ao cliente e ajudaremos o mais depressa possível.
Quero devolver estes sapatos porque são muito pequenos. Podem enviar-me uma etiqueta, por favor? O casaco que comprei na semana
passada chegou com o fecho partido e quero um reembolso ou uma troca. Onde está o meu pedido? Devia ter chegado ontem e a
transportadora não me disse nada. Passeávamos pela cidade velha ao fim da tarde, e as ruas estavam tranquilas depois da chuva.
As crianças brincavam perto do rio enquanto os pais falavam do tempo e do preço do pão. Todos concordavam que o verão tinha sido
longo e quente, e que a colheita seria melhor do que a do ano anterior. A minha conta não me deixa mudar o endereço de entrega.
Podem cancelar a encomenda e devolver o dinheiro para o meu cartão? O produto é muito bom, a qualidade é excelente e o tamanho
é perfeito. Vou voltar a comprar nesta loja com certeza. Ainda não recebi o meu pedido, não sei o que aconteceu.`,
  nl: `Bedankt voor uw aankoop. We hebben uw bestelling ontvangen en verzenden die binnen twee werkdagen.
Zodra het pakket ons magazijn verlaat, krijgt u een e-mail met het trackingnummer zodat u de levering kunt volgen.
Als er iets mis is met uw aankoop, schrijf dan naar onze klantenservice en we helpen u zo snel mogelijk.
Ik wil deze schoenen terugsturen omdat ze te klein zijn. Kunt u mij alstublieft een label sturen? De jas die ik vorige week
heb gekocht, kwam aan met een kapotte rits en ik wil mijn geld terug of een vervanging. Waar is mijn pakket? Het had gisteren
moeten aankomen en de bezorger heeft niets laten weten. We liepen 's avonds door de oude stad, en de straten waren stil na de
regen. De kinderen speelden bij de rivier terwijl hun ouders over het weer en de prijs van het brood praatten. Iedereen was het
erover eens dat de zomer lang en warm was geweest, en dat de oogst beter zou zijn dan het jaar ervoor. Mijn account laat mij het
bezorgadres niet wijzigen. Kunt u de bestelling annuleren en het geld terugstorten op mijn kaart? Het product is heel goed, de
kwaliteit is uitstekend en de maat past perfect. Ik bestel zeker nog een keer in deze winkel.`,
} as const;

export type LanguageCode = keyof typeof LANGUAGE_SAMPLES;

/**
 * Frequent function words per language (articles, pronouns, prepositions, auxiliaries): strong,
 * cheap evidence on messages too short for character statistics to settle.
 */
export const LANGUAGE_STOP_WORDS: Record<LanguageCode, readonly string[]> = {
  en: ['the', 'and', 'is', 'of', 'to', 'my', 'it', 'was', 'for', 'you', 'have', 'with', 'not', 'this', 'that', 'where', 'what', 'when', 'can', 'please', 'thanks', 'hello', 'hi', 'would', 'your', 'order', 'i', 'are', 'did', 'does'],
  es: ['el', 'la', 'los', 'las', 'de', 'que', 'y', 'en', 'un', 'una', 'es', 'por', 'con', 'para', 'mi', 'no', 'está', 'dónde', 'pedido', 'gracias', 'hola', 'pero', 'muy', 'del', 'se', 'lo', 'todavía', 'cuándo', 'qué', 'quiero'],
  fr: ['le', 'la', 'les', 'de', 'des', 'et', 'est', 'un', 'une', 'je', 'ne', 'pas', 'mon', 'ma', 'mes', 'pour', 'avec', 'sur', 'vous', 'bonjour', 'merci', 'commande', 'où', 'toujours', 'reçu', 'ai', 'du', 'il', 'que', 'qui'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'mein', 'meine', 'ein', 'eine', 'zu', 'mit', 'auf', 'für', 'sie', 'noch', 'wo', 'bitte', 'danke', 'hallo', 'bestellung', 'habe', 'wann', 'den', 'dem', 'es', 'wurde', 'kann', 'aber'],
  it: ['il', 'lo', 'la', 'gli', 'le', 'di', 'che', 'e', 'è', 'un', 'una', 'non', 'per', 'con', 'mio', 'mia', 'ancora', 'ordine', 'grazie', 'ciao', 'dove', 'sono', 'ho', 'del', 'della', 'quando', 'buongiorno', 'arrivato', 'perché', 'ma'],
  pt: ['o', 'a', 'os', 'as', 'de', 'que', 'e', 'é', 'um', 'uma', 'não', 'para', 'com', 'meu', 'minha', 'ainda', 'encomenda', 'pedido', 'obrigado', 'obrigada', 'olá', 'onde', 'está', 'do', 'da', 'quando', 'recebi', 'chegou', 'mas', 'muito'],
  nl: ['de', 'het', 'een', 'en', 'is', 'niet', 'ik', 'mijn', 'van', 'op', 'met', 'voor', 'nog', 'waar', 'bestelling', 'bedankt', 'hallo', 'alstublieft', 'dank', 'heb', 'wanneer', 'maar', 'ook', 'zijn', 'wat', 'aangekomen', 'pakket', 'geen', 'u', 'je'],
};
