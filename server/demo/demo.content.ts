// The Dutch content of the demo study: fifteen fictional municipalities, sentences per condition
// and level (what interview notes, rationales and evidence are made of), interview types, documents
// and the phrases of reconciliation notes, threads and narratives. The municipality names are
// invented: none is the name of a Dutch municipality.

/** A condition's favourability in three bands: 1–2 low, 3 mid, 4–5 high. */
export type Band = 'low' | 'mid' | 'high';
export const bandOf = (favourability: number): Band => (favourability <= 2 ? 'low' : favourability === 3 ? 'mid' : 'high');

export interface Municipality {
  name: string;
  group: 'tekort' | 'overschot';
  /** Joint service (gemeenschappelijke regeling) carries out the Participatiewet. */
  gr: string | null;
  sizeClass: '20.000–50.000' | '50.000–100.000' | '100.000 en meer';
  region: 'Noord' | 'Oost' | 'Zuid' | 'West' | 'Midden';
  inhabitants: number;
}

export const MUNICIPALITIES: Municipality[] = [
  { name: 'Brakelveen', group: 'overschot', gr: null, sizeClass: '50.000–100.000', region: 'Oost', inhabitants: 68_400 },
  { name: 'Eikendonk', group: 'tekort', gr: 'Werkplein Veenstreek', sizeClass: '20.000–50.000', region: 'Zuid', inhabitants: 31_200 },
  { name: 'Wolderwijk', group: 'overschot', gr: null, sizeClass: '100.000 en meer', region: 'Midden', inhabitants: 124_800 },
  { name: 'Stavermeer', group: 'tekort', gr: null, sizeClass: '50.000–100.000', region: 'Noord', inhabitants: 57_900 },
  { name: 'Zilverdam', group: 'tekort', gr: 'Sociale Dienst Waardenland', sizeClass: '20.000–50.000', region: 'West', inhabitants: 27_600 },
  { name: 'Oosterlaak', group: 'overschot', gr: 'Werkbedrijf Merelland', sizeClass: '20.000–50.000', region: 'Oost', inhabitants: 38_300 },
  { name: 'Heidebroek', group: 'tekort', gr: null, sizeClass: '100.000 en meer', region: 'Zuid', inhabitants: 152_300 },
  { name: 'Dijkhaven', group: 'overschot', gr: 'Sociale Dienst Waardenland', sizeClass: '50.000–100.000', region: 'West', inhabitants: 81_700 },
  { name: 'Ganzenwolde', group: 'tekort', gr: 'Werkplein Veenstreek', sizeClass: '20.000–50.000', region: 'Noord', inhabitants: 24_900 },
  { name: 'Weidegouw', group: 'overschot', gr: null, sizeClass: '20.000–50.000', region: 'Midden', inhabitants: 43_600 },
  { name: 'Sluisdonk', group: 'tekort', gr: null, sizeClass: '50.000–100.000', region: 'Zuid', inhabitants: 72_100 },
  { name: 'Hazelkamp', group: 'overschot', gr: null, sizeClass: '50.000–100.000', region: 'Noord', inhabitants: 55_400 },
  { name: 'Elzenmeer', group: 'tekort', gr: 'Werkbedrijf Merelland', sizeClass: '100.000 en meer', region: 'West', inhabitants: 109_500 },
  { name: 'Merelvoort', group: 'overschot', gr: 'Werkbedrijf Merelland', sizeClass: '20.000–50.000', region: 'Oost', inhabitants: 35_800 },
  { name: 'Kievitsveen', group: 'tekort', gr: null, sizeClass: '20.000–50.000', region: 'Midden', inhabitants: 29_300 },
];

/** What interviewees said about a condition, by favourability band (neutral wording, usable in notes and rationales). */
export const STATEMENTS: Record<string, Record<Band, string[]>> = {
  '2.a': {
    low: ['Aanvragen worden vooral administratief beoordeeld; een zoektermijn of werkfit-gesprek vóór de aanvraag is er niet.'],
    mid: ['Er geldt formeel een zoektermijn van vier weken, maar in de praktijk wordt die lang niet altijd toegepast.'],
    high: [
      'Elke aanvrager krijgt binnen een week een werkfit-gesprek en de zoektermijn van vier weken wordt consequent gehanteerd.',
      'Bij de melding wordt direct gekeken naar werk, opleiding of voorliggende voorzieningen; een deel van de melders ziet daarna af van een aanvraag.',
    ],
  },
  '2.b': {
    low: ['Nieuwe klanten krijgen in de eerste maanden weinig verplichtingen; tegenprestatie of Work First wordt niet toegepast.'],
    mid: ['De tegenprestatie bestaat op papier, maar wordt alleen met een deel van de nieuwe klanten besproken.'],
    high: ['Bij de intake wordt meteen duidelijk gemaakt dat er een Work First-traject van zes weken volgt; dat schrikt een deel van de aanvragers af.'],
  },
  '2.c': {
    low: ['Preventieve activiteiten voor inwoners die dreigen in te stromen zijn er nauwelijks.'],
    mid: ['Er zijn voorlichtingsbijeenkomsten over voorliggende voorzieningen, maar het bereik is beperkt.'],
    high: ['Samen met het UWV worden mensen met een aflopende WW-uitkering actief benaderd, zodat zij niet in de bijstand belanden.'],
  },
  '2.d': {
    low: ['Instrumenten worden vooral ingezet op basis van wat er beschikbaar is, niet op basis van een diagnose van de klant.'],
    mid: ['Er wordt een screening gebruikt, maar de uitkomst bepaalt maar ten dele welk traject iemand krijgt.'],
    high: ['Met een vaste diagnose bij de start wordt per klant bepaald welk instrument past; trajecten zonder perspectief worden gestopt.'],
  },
  '2.e': {
    low: ['De begeleiding is over het hele bestand verspreid; kansrijke klanten krijgen geen extra aandacht.'],
    mid: ['Er is een apart team voor kansrijke klanten, maar het heeft te weinig capaciteit om iedereen te bedienen.'],
    high: ['De meeste capaciteit gaat bewust naar klanten die binnen een jaar aan het werk kunnen.'],
  },
  '2.f': {
    low: ['Contacten met werkgevers zijn versnipperd en lopen vooral via het regionale werkgeversservicepunt, op afstand.'],
    mid: ['Er zijn twee accountmanagers werkgevers, maar klantmanagers weten niet altijd welke vacatures er zijn.'],
    high: ['De accountmanagers kennen de grote werkgevers persoonlijk en bespreken wekelijks vacatures met de klantmanagers.'],
  },
  '2.g': {
    low: ['Klanten solliciteren vooral zelf; de gemeente stelt zelden kandidaten voor bij werkgevers.'],
    mid: ['Jobhunters zijn er sinds kort, maar zij bedienen nog maar een klein deel van het bestand.'],
    high: ['Jobhunters gaan met kandidaten naar werkgevers en maken samen een plek passend; dat levert de meeste uitstroom op.'],
  },
  '2.h': {
    low: ['Na uitstroom is er geen contact meer; wie terugvalt, meldt zich opnieuw aan bij het loket.'],
    mid: ['Nazorg wordt aangeboden, maar alleen als de werkgever erom vraagt.'],
    high: ['Elke uitgestroomde klant wordt zes maanden gevolgd door een jobcoach; de terugval is sindsdien gedaald.'],
  },
  '2.i': {
    low: [
      'Van een groot deel van het bestand is niet bekend wat mensen willen en kunnen; sommige dossiers zijn jaren niet ingezien.',
      'Klantmanagers zien een deel van hun klanten alleen bij de jaarlijkse rechtmatigheidscontrole.',
    ],
    mid: ['Het bestand is in 2023 doorgelicht, maar de gegevens worden sindsdien niet bijgehouden.'],
    high: ['Iedere klant heeft minstens één keer per jaar een gesprek en de kenmerken staan actueel in het klantvolgsysteem.'],
  },
  '2.j': {
    low: ['Loonkostensubsidie wordt weinig gebruikt; de loonwaardemeting duurt lang en werkgevers haken af.'],
    mid: ['Loonkostensubsidie wordt ingezet, maar vooral als een werkgever er zelf om vraagt.'],
    high: ['Loonkostensubsidie wordt doelbewust ingezet; de loonwaarde wordt binnen twee weken op de werkplek bepaald.'],
  },
  '2.k': {
    low: ['Korte, op werk gerichte trainingen zijn er nauwelijks; scholing loopt via lange trajecten.'],
    mid: ['Er zijn enkele korte trainingen, zoals een heftruckcertificaat, maar klantmanagers moeten er lang op wachten.'],
    high: ['Klantmanagers kunnen zelf korte vakgerichte trainingen inkopen, zoals een VCA- of zorgcursus.'],
  },
  '2.l': {
    low: ['Klanten hebben weinig inbreng in hun traject; het aanbod ligt grotendeels vast.'],
    mid: ['In het plan van aanpak wordt de wens van de klant genoteerd, maar het aanbod is beperkt.'],
    high: ['Klanten kiezen met hun klantmanager een traject uit een breed aanbod en beheren een eigen ontwikkelbudget.'],
  },
  '2.m': {
    low: ['Schulden en zorgvragen worden gezien als iets voor het wijkteam; de verbinding met werk ontbreekt.'],
    mid: ['Er is een doorverwijzing naar schuldhulp, maar de wachttijd loopt op tot drie maanden.'],
    high: ['Schuldhulp, kinderopvang en zorg worden bij de start van een traject geregeld, zodat werk haalbaar wordt.'],
  },
  '2.n': {
    low: ['Klanten met meerdere problemen hebben vaak drie of vier hulpverleners naast elkaar, zonder regie.'],
    mid: ['Voor complexe gezinnen is er een regisseur, maar alleen als de situatie escaleert.'],
    high: ['Eén casusregisseur coördineert de hulp over de domeinen heen en kan zelf voorzieningen inzetten.'],
  },
  '2.o': {
    low: ['Rechten en plichten worden alleen schriftelijk toegelicht bij de toekenning.'],
    mid: ['Bij de intake worden de rechten en plichten besproken, maar daarna komt het onderwerp zelden terug.'],
    high: ['Klanten krijgen bij de start een gesprek over rechten en plichten en jaarlijks een herinnering; klantmanagers zijn alert op signalen.'],
  },
  '2.p': {
    low: ['Maatregelen worden zelden opgelegd; klantmanagers vinden het lastig en zien er weinig effect van.'],
    mid: ['Maatregelen worden opgelegd bij herhaalde verwijtbaarheid, maar niet iedereen doet dat even consequent.'],
    high: ['Wie niet meewerkt, krijgt na één waarschuwing een maatregel; daarover zijn vaste afspraken in het team.'],
  },
  '2.q': {
    low: ['Heronderzoeken zijn de afgelopen jaren grotendeels blijven liggen door gebrek aan capaciteit.'],
    mid: ['Er zijn steekproefsgewijze controles, maar signalen worden niet altijd opgevolgd.'],
    high: ['Een vast handhavingsteam voert risicogerichte heronderzoeken uit en volgt elk signaal binnen twee weken op.'],
  },
  // Lower is favourable: a low band means many exemptions.
  '2.r': {
    low: ['Een groot deel van het bestand heeft een ontheffing van de arbeidsplicht, vaak al jaren en zonder herbeoordeling.'],
    mid: ['Ontheffingen worden verleend op medisch advies en eens per twee jaar herbeoordeeld.'],
    high: ['Ontheffingen zijn schaars en tijdelijk; ook wie ontheven is, krijgt een aanbod om mee te doen.'],
  },
  '3.a': {
    low: ['Het beleid legt de nadruk op bestaanszekerheid en brede participatie; financiële doelen spelen nauwelijks een rol.'],
    mid: ['Uitstroom naar werk is een doel, maar staat naast veel andere ambities in het sociaal domein.'],
    high: ['Het coalitieakkoord zegt expliciet dat het bijstandsbestand moet dalen en het budget toereikend moet zijn.'],
  },
  '3.b': {
    low: ['Werk en inkomen en het wijkteam werken langs elkaar heen; een gezamenlijke aanpak is er niet.'],
    mid: ['Er zijn afspraken met het wijkteam, maar die worden vooral in crisissituaties benut.'],
    high: ['Klantmanagers zitten in de wijkteams en vragen op verschillende leefgebieden worden samen opgepakt.'],
  },
  '3.c': {
    low: ['Budgetten zijn strikt gescheiden; middelen uit de Wmo of jeugd kunnen niet voor bijstandsklanten worden gebruikt.'],
    mid: ['Incidenteel wordt budget uit andere domeinen benut, maar daarvoor is steeds een apart besluit nodig.'],
    high: ['Het sociaal domein heeft één budget; professionals kunnen zonder tussenkomst van het management over domeinen heen schuiven.'],
  },
  '3.d': {
    low: ['In vijf jaar is het beleid drie keer ingrijpend gewijzigd, telkens na een wisseling van wethouder.'],
    mid: ['Het beleid is in grote lijnen gelijk gebleven, maar de accenten verschuiven met elk nieuw college.'],
    high: ['Het beleid is sinds 2018 nauwelijks veranderd; iedereen kent de koers.'],
  },
  '3.e': {
    low: ['Er is geen strategie voor de financiële kant van de bijstand; tekorten worden achteraf uit de algemene reserve aangevuld.'],
    mid: ['Er is een plan om het tekort terug te dringen, maar de vertaling naar de uitvoering is nog niet gemaakt.'],
    high: [
      'De financiële sturing is strak: elk kwartaal worden instroom, uitstroom en uitgaven besproken en zo nodig bijgestuurd.',
      'Instroombeperking, uitstroom en handhaving zijn in één sturingsplan samengebracht, met een vaste rol voor de controller.',
    ],
  },
  '3.f': {
    low: ['Er zijn geen doelgroepen benoemd; iedereen krijgt in principe hetzelfde aanbod.'],
    mid: ['Jongeren en statushouders zijn als doelgroep benoemd, maar alleen voor jongeren is er een eigen aanpak.'],
    high: ['Voor jongeren, statushouders en nieuwe instromers is er een eigen aanpak met vaste klantmanagers.'],
  },
  '3.g': {
    low: ['Beleidskeuzes worden gemaakt zonder analyse van het bestand; cijfers komen pas achteraf.'],
    mid: ['Er is een bestandsanalyse, maar die wordt nauwelijks gebruikt bij het maken van keuzes.'],
    high: ['Keuzes worden onderbouwd met analyses van het bestand en met de benchmark van vergelijkbare gemeenten.'],
  },
  '3.h': {
    low: ['Werk en inkomen zijn ondergebracht bij verschillende organisaties, elk met een eigen leidinggevende en systeem.'],
    mid: ['Werk en inkomen vallen onder één manager, maar zitten op verschillende locaties.'],
    high: ['Werk en inkomen zitten in één team; de klant heeft één aanspreekpunt.'],
  },
  '3.i': {
    low: ['De organisatie is de afgelopen vijf jaar twee keer gereorganiseerd; daarbij is veel kennis verloren gegaan.'],
    mid: ['Er is één reorganisatie geweest, die inmiddels is geland.'],
    high: ['De organisatie is al jaren stabiel; er zijn geen reorganisaties geweest.'],
  },
  '3.j': {
    low: ['Re-integratie is grotendeels uitbesteed via een subsidierelatie; de gemeente heeft weinig zicht op de resultaten.'],
    mid: ['Een deel van de re-integratie is uitbesteed; over de resultaten wordt elk half jaar gerapporteerd.'],
    high: ['De gemeente voert re-integratie grotendeels zelf uit en stuurt met een heldere opdracht en prestatieafspraken.'],
  },
  '3.k': {
    low: ['Er staan vacatures al lang open en het verloop onder klantmanagers is hoog.'],
    mid: ['De bezetting is op orde, maar er werken relatief veel nieuwe en onervaren medewerkers.'],
    high: ['Het team is op sterkte en ervaren; medewerkers blijven lang.'],
  },
  '3.l': {
    low: ['Het werkproces kent veel dubbele controles en overdrachten; een aanvraag gaat door vijf handen.'],
    mid: ['Het proces is vorig jaar herzien, maar de nieuwe werkwijze is nog niet overal ingevoerd.'],
    high: ['Het aanvraagproces is strak ingericht; een aanvraag wordt gemiddeld binnen drie weken afgehandeld.'],
  },
  '3.m': {
    low: ['Re-integratie komt pas aan bod als de uitkering loopt, vaak na twee of drie maanden.'],
    mid: ['Na de toekenning volgt binnen zes weken een eerste gesprek over werk.'],
    high: ['Re-integratie start al tijdens de aanvraag; het eerste werkgesprek is in de eerste week.'],
  },
  '3.n': {
    low: ['Een klantmanager heeft meer dan 200 klanten; voor echte begeleiding is nauwelijks tijd.'],
    mid: ['De caseload ligt rond de 120 klanten, met uitschieters naar boven.'],
    high: ['Klantmanagers hebben een caseload van ongeveer 70 klanten en kennen hun mensen.'],
  },
  '3.o': {
    low: ['Sturingsinformatie is er nauwelijks; managers vragen cijfers handmatig op bij de functioneel beheerder.'],
    mid: ['Er is een maandelijkse rapportage, maar die gaat vooral over aantallen en niet over resultaten.'],
    high: ['Een dashboard toont per team instroom, uitstroom en uitgaven; teamleiders gebruiken het in het werkoverleg.'],
  },
  '3.p': {
    low: ['Er zijn geen targets voor de uitvoering, individueel noch per team.'],
    mid: ['Er zijn uitstroomtargets, maar klantmanagers kennen ze niet of nauwelijks.'],
    high: ['Er zijn uitstroomtargets per team; ze zijn bekend en worden maandelijks besproken.'],
  },
  '3.q': {
    low: ['Uitvoerders kennen de financiële doelen niet en ervaren de nadruk op uitstroom als druk van bovenaf.'],
    mid: ['Uitvoerders kennen de doelen, maar zijn kritisch over de nadruk op uitstroom bij klanten ver van de arbeidsmarkt.'],
    high: ['Uitvoerders kennen de doelen en staan erachter; zij zien het terugdringen van het bestand als hun eigen opdracht.'],
  },
  '3.r': {
    low: ['Er is weinig budget voor opleiding; intervisie is een paar jaar geleden gestopt.'],
    mid: ['Er zijn trainingen, maar die gaan vooral over wet- en regelgeving.'],
    high: ['Klantmanagers volgen een vast opleidingsprogramma en hebben maandelijks intervisie.'],
  },
  '3.s': {
    low: ['Klantmanagers moeten voor vrijwel elk instrument toestemming vragen aan de teamleider.'],
    mid: ['Klantmanagers hebben ruimte tot een vast bedrag; daarboven is toestemming nodig.'],
    high: ['Klantmanagers hebben veel ruimte om zelf te beslissen, binnen duidelijke kaders.'],
  },
  '3.t': {
    low: ['De sfeer in het team staat onder druk; er is weinig onderling vertrouwen.'],
    mid: ['De sfeer binnen de teams is goed, maar tussen werk en inkomen is er wrijving.'],
    high: ['Collega’s helpen elkaar en bespreken lastige casussen open met elkaar.'],
  },
  '3.u': {
    low: ['Medewerkers voelen zich weinig gesteund door het management, dat vooral op afstand stuurt.'],
    mid: ['De aansturing is redelijk, maar teamleiders hebben weinig tijd voor hun medewerkers.'],
    high: ['Teamleiders zijn zichtbaar en benaderbaar; medewerkers ervaren ruimte en steun.'],
  },
  '3.v': {
    low: ['De samenwerking met het UWV en het onderwijs blijft beperkt tot het verplichte overleg.'],
    mid: ['Met het UWV wordt samengewerkt op het werkgeversservicepunt, met het onderwijs nauwelijks.'],
    high: ['Er is een intensieve samenwerking met het UWV, mbo-scholen en buurgemeenten, met gezamenlijke trajecten.'],
  },
  '3.w': {
    low: ['Door bezuinigingen is er te weinig formatie om klanten vaker dan eens per jaar te spreken.'],
    mid: ['Het begeleidingsbudget is krap, maar toereikend voor de kansrijke groep.'],
    high: ['Er is voldoende budget voor begeleiding; de gemeente heeft extra formatie vrijgemaakt.'],
  },
  '3.x': {
    low: ['Het inkoopbudget is halverwege het jaar vaak op; trajecten worden dan uitgesteld.'],
    mid: ['Voor de meeste instrumenten is genoeg budget, maar jobcoaching is beperkt.'],
    high: ['Klantmanagers kunnen instrumenten inzetten wanneer dat nodig is; budget is zelden de beperking.'],
  },
  '3.y': {
    low: ['Middelen uit aanpalende domeinen, zoals ESF-subsidie, worden niet benut.'],
    mid: ['Er is eenmalig ESF-subsidie gebruikt voor een project met jongeren.'],
    high: ['De gemeente zet structureel ESF-middelen en Wmo-budget in voor bijstandsklanten.'],
  },
  '4.a': {
    low: ['De gemeenteraad heeft weinig aandacht voor het bijstandsbudget; het resultaat is nooit een politiek thema geweest.'],
    mid: ['De raad vraagt af en toe naar het financiële resultaat, maar dat leidt zelden tot nieuwe keuzes.'],
    high: ['Het resultaat op de bijstand is in de raad een terugkerend onderwerp en heeft geleid tot een actieplan.'],
  },
  '4.b': {
    low: ['De arbeidsmarktregio functioneert matig; afspraken worden slecht nagekomen.'],
    mid: ['De samenwerking in de arbeidsmarktregio is wisselend; sommige projecten lopen goed.'],
    high: ['De arbeidsmarktregio is goed georganiseerd, met een gezamenlijk werkgeversservicepunt dat resultaat boekt.'],
  },
  '4.c.I': {
    low: ['Het tekort wordt vooral gezien als gevolg van het verdeelmodel; men ervaart weinig eigen invloed.'],
    mid: ['Men denkt een deel van het resultaat te kunnen beïnvloeden, maar wijst ook op externe factoren.'],
    high: ['Bestuur en management zijn ervan overtuigd dat zij het resultaat met eigen keuzes kunnen beïnvloeden.'],
  },
  '4.c.II': {
    low: ['Alleen de controller weet hoe het budget ervoor staat; in de uitvoering is het resultaat onbekend.'],
    mid: ['Het resultaat is bekend bij het management, maar wordt niet gedeeld met de uitvoering.'],
    high: ['Iedereen, tot en met de klantmanagers, weet hoe het budget er dit jaar voor staat.'],
  },
  '4.c.III': {
    low: ['Tekorten worden binnen de regeling over de deelnemers verdeeld, zodat eigen keuzes van de gemeente weinig uitmaken.'],
    mid: ['De gemeente kan via de begroting van de uitvoeringsorganisatie bijsturen, maar dat gaat traag.'],
    high: ['Het college kan rechtstreeks bijsturen in de uitvoering; het eigen resultaat werkt direct door.'],
  },
  '4.d.I': {
    low: ['Bijna de helft van het bestand zit al langer dan vijf jaar in de bijstand.'],
    mid: ['Ongeveer een derde van het bestand zit langer dan vijf jaar in de bijstand.'],
    high: ['Het aandeel langdurige klanten is relatief laag; veel klanten staan dicht bij de arbeidsmarkt.'],
  },
  '4.d.II': {
    low: ['De regionale arbeidsmarkt biedt weinig werk voor laagopgeleiden; grote werkgevers zijn vertrokken.'],
    mid: ['De regionale arbeidsmarkt is krap, maar de vacatures passen vaak niet bij het bestand.'],
    high: ['De regionale economie groeit en er is veel vraag naar mensen in logistiek, zorg en techniek.'],
  },
  '4.d.III': {
    low: ['De gemeente heeft jarenlang forse tekorten gehad en heeft een beroep gedaan op de vangnetregeling.'],
    mid: ['Na enkele jaren met tekorten is het resultaat de laatste jaren ongeveer in evenwicht.'],
    high: ['De gemeente heeft de afgelopen jaren geen noemenswaardige tekorten gehad.'],
  },
};

/** The heading of a note's section for a condition. */
export function sectionOf(code: string): string {
  if (['2.a', '2.b', '2.c'].includes(code)) return 'Instroom';
  if (['2.o', '2.p', '2.q', '2.r'].includes(code)) return 'Handhaving';
  if (code.startsWith('2.')) return 'Re-integratie en uitstroom';
  if (['3.a', '3.b', '3.c', '3.d', '3.f', '3.g', '3.q'].includes(code)) return 'Beleid';
  if (['3.e', '3.o', '3.p', '3.w', '3.x', '3.y', '4.c.II', '4.c.III', '4.d.III'].includes(code)) return 'Financiën en sturing';
  if (code.startsWith('3.')) return 'Organisatie en uitvoering';
  return 'Bestuur en context';
}
export const SECTION_ORDER = ['Bestuur en context', 'Beleid', 'Financiën en sturing', 'Organisatie en uitvoering', 'Instroom', 'Re-integratie en uitstroom', 'Handhaving'];

export interface InterviewType {
  id: 'bestuur' | 'management' | 'secretaris' | 'teamleider' | 'uitvoering';
  title: string;
  /** How a rationale refers to the conversation. */
  ref: string;
  roles: string[];
  participants: [number, number];
  /** Who was there, by number of participants (the last one for any larger number). */
  who: string[];
  pool: string[];
  opening: string[];
  /** Something said, by the overall tone of the conversation. */
  quotes: Record<'low' | 'high', string[]>;
}

export const INTERVIEW_TYPES: InterviewType[] = [
  {
    id: 'bestuur',
    title: 'Bestuurlijk gesprek',
    ref: 'het bestuurlijke gesprek',
    roles: ['Wethouder', 'Beleidsmedewerker'],
    participants: [2, 2],
    who: ['de wethouder Werk en Inkomen en een beleidsadviseur Participatie'],
    pool: ['4.a', '3.a', '3.b', '3.d', '3.f', '4.c.I', '4.c.II', '3.q', '4.b', '4.d.II', '3.g', '3.c'],
    opening: [
      'De wethouder schetst de ontwikkeling van het bijstandsbestand sinds 2019 en de rol die de raad daarin speelt.',
      'Het gesprek begint met de vraag hoe het college naar het resultaat op de gebundelde uitkering kijkt.',
    ],
    quotes: {
      low: ['We hebben lang gedacht dat het tekort vooral aan het verdeelmodel lag.', 'Eerlijk gezegd stond de bijstand niet bovenaan de agenda van dit college.'],
      high: ['We sturen op het bestand, niet alleen op het budget.', 'Iedere inwoner die aan het werk kan, verdient een kans. Dat is ook financieel verstandig.'],
    },
  },
  {
    id: 'management',
    title: 'Gesprek met management en financiën',
    ref: 'het gesprek met management en financiën',
    roles: ['Directeur RSD/W&I', 'Financieel directeur'],
    participants: [2, 3],
    who: ['', 'de manager Werk en Inkomen en de concerncontroller sociaal domein', 'de manager Werk en Inkomen, de concerncontroller en een financieel adviseur'],
    pool: ['3.e', '4.c.II', '4.c.III', '3.o', '3.i', '3.k', '3.p', '3.v', '3.c', '3.w', '3.x', '3.y', '4.d.III', '3.h', '3.j', '4.d.I'],
    opening: [
      'Het gesprek gaat vooral over de financiële sturing en de inrichting van de uitvoering.',
      'De manager licht de begroting en de kwartaalrapportages toe; de controller vult aan met de meerjarige cijfers.',
    ],
    quotes: {
      low: ['Het tekort wordt pas in het voorjaar zichtbaar, en dan is het te laat om bij te sturen.', 'We hebben de cijfers wel, maar niemand kijkt er samen naar.'],
      high: ['Elke maand kijken we naar instroom en uitstroom, en we stellen bij waar het nodig is.', 'Het budget is voor ons geen verrassing meer aan het eind van het jaar.'],
    },
  },
  {
    id: 'secretaris',
    title: 'Gesprek met de gemeentesecretaris',
    ref: 'het gesprek met de gemeentesecretaris',
    roles: ['Gemeentesecretaris'],
    participants: [1, 1],
    who: ['de gemeentesecretaris'],
    pool: ['3.j', '3.h', '4.a', '3.e', '3.b', '3.i', '4.c.III', '3.v'],
    opening: ['De gemeentesecretaris kijkt vanuit de concernsturing naar het sociaal domein en de positie van Werk en Inkomen daarin.'],
    quotes: {
      low: ['De bijstand is voor het concern vooral een financieel risico.'],
      high: ['Het sociaal domein is voor ons één opgave, en werk is daarin de sleutel.'],
    },
  },
  {
    id: 'teamleider',
    title: 'Gesprek met teamleiders uitvoering',
    ref: 'het gesprek met de teamleiding',
    roles: ['Teamleider uitvoering'],
    participants: [1, 2],
    who: ['de teamleider Werk', 'de teamleiders Inkomen en Werk'],
    pool: ['2.a', '2.b', '2.c', '3.l', '3.m', '3.n', '2.q', '2.p', '3.u', '3.r', '2.d', '2.e', '3.o', '3.s'],
    opening: [
      'De teamleiding licht het werkproces toe, van de eerste melding tot en met de uitstroom.',
      'Het gesprek volgt de route van een nieuwe aanvrager door de organisatie.',
    ],
    quotes: {
      low: ['We zijn vooral bezig met het op tijd betalen van uitkeringen.', 'Als er iemand uitvalt, ligt een hele caseload stil.'],
      high: ['Elke melding is voor ons een kans om iemand direct naar werk te leiden.', 'We weten precies hoeveel mensen er deze maand zijn uitgestroomd.'],
    },
  },
  {
    id: 'uitvoering',
    title: 'Groepsgesprek uitvoering',
    ref: 'het groepsgesprek met de uitvoering',
    roles: ['Professional'],
    participants: [3, 5],
    who: [
      '',
      '',
      'twee klantmanagers Werk en een klantmanager Inkomen',
      'drie klantmanagers en een werkconsulent',
      'drie klantmanagers, een jobcoach en een handhavingsspecialist',
    ],
    pool: ['2.g', '2.i', '2.f', '2.h', '2.e', '2.n', '2.m', '3.t', '3.s', '2.j', '2.k', '2.l', '2.r', '2.o', '2.d', '3.n', '3.x'],
    opening: [
      'In het groepsgesprek vertellen de professionals hoe zij hun caseload indelen en welke instrumenten zij gebruiken.',
      'De deelnemers bespreken aan de hand van twee geanonimiseerde casussen hoe een traject verloopt.',
    ],
    quotes: {
      low: ['Voor echte begeleiding kom ik eigenlijk niet toe.', 'Je wilt meer doen, maar de wachtlijsten zijn lang.'],
      high: ['Als ik een werkgever bel, weet ik wie ik kan voorstellen.', 'We krijgen de ruimte om te doen wat nodig is.'],
    },
  },
];

export const FOLLOW_UPS = [
  'De gemeente stuurt de meest recente kwartaalrapportage na.',
  'Afgesproken is dat het verslag binnen twee weken ter accordering wordt toegestuurd.',
  'De organisatie levert de werkinstructies voor het poortproces na.',
  'Er volgt nog een kort telefonisch gesprek over de cijfers van 2024.',
  'De geïnterviewden vragen om een terugkoppeling van de eindresultaten.',
];

/** Label of a raw score in a rationale. */
export const SCORE_LABELS: Record<number, string> = {
  1: 'Nauwelijks aanwezig.',
  2: 'Beperkt aanwezig.',
  3: 'Gedeeltelijk aanwezig.',
  4: 'Grotendeels aanwezig.',
  5: 'Sterk aanwezig.',
};

export const GENERIC_RATIONALES = [
  'Niet rechtstreeks besproken; beoordeeld op het totaalbeeld uit de gesprekken en de documenten.',
  'Alleen zijdelings aan de orde geweest; de score volgt het beeld uit de verslagen.',
  'Weinig concrete voorbeelden genoemd; de score is een inschatting op basis van de verslagen.',
];

export const CANNOT_JUDGE_REASONS = [
  'Niet besproken in de gesprekken en niet terug te vinden in de documenten.',
  'Onvoldoende informatie: de cijfers van de uitvoeringsorganisatie waren niet beschikbaar.',
  'De verslagen spreken elkaar tegen; zonder aanvullende bron is geen oordeel mogelijk.',
];

export const RECONCILE_NOTES = {
  minor: [
    'Na bespreking uitgekomen op {score}: het verslag van het groepsgesprek geeft de doorslag.',
    'Na bespreking {score}; beide beoordelaars herkennen zich in deze score.',
    'Uitgekomen op {score}: de andere score was onvoldoende met bronnen onderbouwd.',
    'Score {score}; de documenten bevestigen het beeld uit de gesprekken.',
  ],
  major: [
    'Groot verschil besproken in het beoordelaarsoverleg. Uitgekomen op {score}: de ene beoordelaar woog het beleid, de andere de praktijk; de praktijk is leidend.',
    'Uitgekomen op {score} na bespreking: een aanvullend document laat zien dat de werkwijze pas in 2024 is ingevoerd.',
    'Na bespreking {score}. Het gesprek met de teamleiding en de notities van de interviewers zijn opnieuw doorgenomen.',
  ],
  partly: [
    'Eén beoordelaar kon niet oordelen; na controle van de verslagen is de score van de andere beoordelaar overgenomen ({score}).',
  ],
  none: ['Ook na bespreking onvoldoende informatie; de conditie blijft in deze casus zonder score.'],
  changed: ['Herzien na de validatiebijeenkomst: de gemeente heeft cijfers nagestuurd die het beeld bijstellen ({score}).'],
};

/** A short thread on an item: rater A, rater B, and (when `closed`) the lead. */
export const THREADS = [
  [
    'Ik kwam op {a} omdat in het gesprek met de teamleiding een vaste werkwijze werd beschreven.',
    'In het groepsgesprek klonk het anders: klantmanagers zeiden dat het in de praktijk vaak niet lukt. Vandaar mijn {b}.',
    'Beide punten zijn terecht. Ik leg {final} vast en noteer dat beleid en praktijk hier uiteenlopen.',
  ],
  [
    'Mijn {a} is gebaseerd op het beleidsdocument; daarin staat het heel expliciet.',
    'Klopt, maar het document is van na de onderzoeksperiode. Over de periode zelf vond ik weinig, daarom {b}.',
    'Goed gezien. We beoordelen de onderzoeksperiode, dus ik kom op {final}.',
  ],
  [
    'Ik twijfelde tussen {a} en een punt lager. Wat gaf voor jou de doorslag?',
    'Vooral het verslag van het bestuurlijk gesprek. Ik kan me ook in jouw score vinden, maar ik hou het op {b} tot we de cijfers van 2024 hebben.',
  ],
];

export const DEGREE_SENTENCES = {
  good: 'Het raamwerk verklaart het resultaat goed: de meeste veronderstelde relaties tussen de niveaus zijn in deze casus terug te zien.',
  fair: 'Het raamwerk verklaart het resultaat redelijk: de belangrijkste relaties zijn zichtbaar, maar niet op alle niveaus.',
  limited: 'Het raamwerk verklaart het resultaat beperkt: een deel van de uitkomst lijkt samen te hangen met factoren buiten het raamwerk.',
  hardly: 'Het raamwerk verklaart het resultaat nauwelijks: de scores op de condities wijzen eerder op een ander resultaat dan het werkelijke.',
} as const;

export const CAVEATS = {
  gr: 'De uitvoering ligt bij {gr}; de gemeente kan daardoor maar beperkt zelf bijsturen.',
  other: [
    'De regionale arbeidsmarkt verklaart een deel van de ontwikkeling en valt buiten de invloed van de gemeente.',
    'Het effect van de recente aanpassingen in de uitvoering is nog niet in de cijfers terug te zien.',
    'De cijfers over 2023 zijn nog voorlopig; de validatiebijeenkomst kan het beeld bijstellen.',
  ],
};

export interface DemoDocument {
  /** Index of the municipality it belongs to. */
  municipality: number;
  title: string;
  kind: string;
  date: string;
  filename: string;
  format: 'pdf' | 'docx' | 'md';
  /** Paragraphs (PDF, DOCX: an empty string is a blank line) or the Markdown text as one element. */
  text: string[];
  /** Quotes from the text, each with the conditions it bears on. */
  evidence: { quote: string; locator: string; conditions: string[] }[];
  /** The document fixes these conditions' favourability for its case, so scores and notes agree with it. */
  favourability: Record<string, number>;
}

export const DOCUMENTS: DemoDocument[] = [
  {
    municipality: 0,
    title: 'Beleidsplan Werk en Inkomen 2023–2026',
    kind: 'beleidsplan',
    date: '2023-01-17',
    filename: 'Beleidsplan Werk en Inkomen 2023-2026.pdf',
    format: 'pdf',
    text: [
      'Gemeente Brakelveen - Beleidsplan Werk en Inkomen 2023-2026',
      '',
      '1. Inleiding',
      'Dit beleidsplan beschrijft hoe Brakelveen de Participatiewet de komende vier jaar uitvoert. Het college wil dat zoveel mogelijk inwoners naar vermogen meedoen, bij voorkeur in betaald werk.',
      '',
      '2. Doelen',
      '- Het aantal bijstandsuitkeringen daalt met 5 procent per jaar.',
      '- Het budget voor de gebundelde uitkering is toereikend; tekorten worden voorkomen.',
      '- Jongeren tot 27 jaar krijgen binnen vier weken een aanbod voor werk of scholing.',
      '',
      '3. Aanpak aan de poort',
      'Iedere melder krijgt binnen vijf werkdagen een werkfit-gesprek. De zoektermijn van vier weken wordt consequent toegepast, behalve in acute noodsituaties.',
      '',
      '4. Sturing',
      'Het college ontvangt elk kwartaal een rapportage over instroom, uitstroom en uitgaven.',
    ],
    evidence: [
      { quote: 'Het aantal bijstandsuitkeringen daalt met 5 procent per jaar.', locator: 'p. 1, § 2', conditions: ['3.a', '3.e'] },
      { quote: 'Iedere melder krijgt binnen vijf werkdagen een werkfit-gesprek.', locator: 'p. 1, § 3', conditions: ['2.a', '3.m'] },
      { quote: 'Het college ontvangt elk kwartaal een rapportage over instroom, uitstroom en uitgaven.', locator: 'p. 1, § 4', conditions: ['3.o'] },
    ],
    favourability: { '3.a': 5, '3.e': 4, '2.a': 5, '3.m': 4, '3.o': 4 },
  },
  {
    municipality: 1,
    title: 'Jaarverslag Werkplein Veenstreek 2024',
    kind: 'jaarverslag',
    date: '2025-04-02',
    filename: 'Jaarverslag Werkplein Veenstreek 2024.docx',
    format: 'docx',
    text: [
      'Jaarverslag 2024 – Werkplein Veenstreek',
      'Het Werkplein Veenstreek voert de Participatiewet uit voor Eikendonk, Ganzenwolde en een derde deelnemende gemeente.',
      'In 2024 stroomden 412 inwoners in en 365 inwoners uit; het bestand groeide met 3 procent.',
      'Het tekort op de gebundelde uitkering wordt volgens de verdeelsleutel over de deelnemende gemeenten verdeeld.',
      'Door langdurig verzuim en vacatures was de gemiddelde caseload van klantmanagers 185 klanten.',
      'Heronderzoeken zijn in 2024 beperkt uitgevoerd; de prioriteit lag bij het tijdig verstrekken van uitkeringen.',
      'In 2025 start een project om het hele bestand opnieuw in beeld te brengen.',
    ],
    evidence: [
      { quote: 'Het tekort op de gebundelde uitkering wordt volgens de verdeelsleutel over de deelnemende gemeenten verdeeld.', locator: 'hoofdstuk Financiën', conditions: ['4.c.III'] },
      { quote: 'Door langdurig verzuim en vacatures was de gemiddelde caseload van klantmanagers 185 klanten.', locator: 'hoofdstuk Personeel', conditions: ['3.n', '3.k'] },
      { quote: 'Heronderzoeken zijn in 2024 beperkt uitgevoerd; de prioriteit lag bij het tijdig verstrekken van uitkeringen.', locator: 'hoofdstuk Handhaving', conditions: ['2.q'] },
    ],
    favourability: { '4.c.III': 1, '3.n': 1, '3.k': 2, '2.q': 2 },
  },
  {
    municipality: 2,
    title: 'Werkinstructie poortproces',
    kind: 'werkinstructie',
    date: '2024-09-01',
    filename: 'werkinstructie-poortproces.md',
    format: 'md',
    text: [
      `# Werkinstructie poortproces Werk en Inkomen

*Versie 3, september 2024 — afdeling Werk en Inkomen, gemeente Wolderwijk*

## 1. Melding

- Een inwoner meldt zich via het digitale loket of aan de balie.
- Binnen drie werkdagen volgt een werkfit-gesprek met een klantmanager Werk.

## 2. Zoektermijn

- Jongeren tot 27 jaar hebben een zoektermijn van vier weken; in die periode zoeken zij actief naar werk of scholing.
- De klantmanager legt de afspraken vast in het klantvolgsysteem.

## 3. Doorverwijzing

- Bij schulden wordt de inwoner dezelfde week aangemeld bij de schuldhulpverlening.
- Bij twijfel over het recht op uitkering volgt een huisbezoek door de handhaver.
`,
    ],
    evidence: [
      { quote: 'Binnen drie werkdagen volgt een werkfit-gesprek met een klantmanager Werk.', locator: '§ 1 Melding', conditions: ['2.a', '3.m'] },
      { quote: 'Bij schulden wordt de inwoner dezelfde week aangemeld bij de schuldhulpverlening.', locator: '§ 3 Doorverwijzing', conditions: ['2.m'] },
    ],
    favourability: { '2.a': 5, '3.m': 5, '2.m': 4 },
  },
  {
    municipality: 3,
    title: 'Rapportage handhaving 2024',
    kind: 'rapportage',
    date: '2025-02-14',
    filename: 'Rapportage handhaving 2024.pdf',
    format: 'pdf',
    text: [
      'Gemeente Stavermeer - Rapportage handhaving 2024',
      '',
      'In 2024 zijn 96 heronderzoeken uitgevoerd, tegen 240 gepland.',
      'Van de 58 signalen van mogelijke fraude zijn er 21 binnen de norm van vier weken opgepakt.',
      'Er zijn 14 maatregelen opgelegd wegens het niet nakomen van verplichtingen.',
      'Oorzaak van de achterstand is het vertrek van twee handhavers en een lange vacatureperiode.',
      'Voor 2025 is extra formatie aangevraagd.',
    ],
    evidence: [
      { quote: 'In 2024 zijn 96 heronderzoeken uitgevoerd, tegen 240 gepland.', locator: 'p. 1', conditions: ['2.q'] },
      { quote: 'Er zijn 14 maatregelen opgelegd wegens het niet nakomen van verplichtingen.', locator: 'p. 1', conditions: ['2.p'] },
      { quote: 'Oorzaak van de achterstand is het vertrek van twee handhavers en een lange vacatureperiode.', locator: 'p. 1', conditions: ['3.k'] },
    ],
    favourability: { '2.q': 2, '2.p': 2, '3.k': 2 },
  },
  {
    municipality: 4,
    title: 'Notitie sturingsinformatie bijstand',
    kind: 'notitie',
    date: '2024-11-20',
    filename: 'Notitie sturingsinformatie bijstand.docx',
    format: 'docx',
    text: [
      'Notitie sturingsinformatie bijstand – Zilverdam',
      'Aanleiding: de raad heeft gevraagd om beter zicht op de oorzaken van het tekort op de gebundelde uitkering.',
      'De gemeenschappelijke regeling levert per kwartaal het aantal uitkeringen, maar geen gegevens over in- en uitstroom per doelgroep.',
      'Daardoor kan het college niet beoordelen welke maatregelen effect hebben.',
      'Voorstel: vanaf 2025 een gezamenlijk dashboard met de regeling, met maandcijfers over instroom, uitstroom en uitgaven.',
    ],
    evidence: [
      { quote: 'Aanleiding: de raad heeft gevraagd om beter zicht op de oorzaken van het tekort op de gebundelde uitkering.', locator: 'aanleiding', conditions: ['4.a'] },
      {
        quote: 'De gemeenschappelijke regeling levert per kwartaal het aantal uitkeringen, maar geen gegevens over in- en uitstroom per doelgroep.',
        locator: 'analyse',
        conditions: ['3.o', '3.g'],
      },
    ],
    favourability: { '4.a': 4, '3.o': 2, '3.g': 2 },
  },
  {
    municipality: 7,
    title: 'Verslag stuurgroep Werk en Inkomen, juni 2025',
    kind: 'verslag',
    date: '2025-06-12',
    filename: 'verslag-stuurgroep-2025-06.md',
    format: 'md',
    text: [
      `# Verslag stuurgroep Werk en Inkomen, 12 juni 2025

**Aanwezig:** de wethouders van Dijkhaven en de twee buurgemeenten, de directeur van Sociale Dienst Waardenland, de controller.

## 1. Financieel beeld

De controller meldt een verwacht overschot op de gebundelde uitkering van 4,1 procent over 2025. Het overschot blijft bij de gemeente waar het ontstaat.

## 2. Werkgeversdienstverlening

De accountmanagers hebben in het eerste half jaar 148 plaatsingen gerealiseerd, vooral in logistiek en zorg.

## 3. Besluiten

- De stuurgroep zet de inzet van jobhunters in 2026 voort.
- De directeur levert in het najaar een voorstel voor nazorg na plaatsing.
`,
    ],
    evidence: [
      { quote: 'Het overschot blijft bij de gemeente waar het ontstaat.', locator: 'agendapunt 1', conditions: ['4.c.III'] },
      { quote: 'De accountmanagers hebben in het eerste half jaar 148 plaatsingen gerealiseerd, vooral in logistiek en zorg.', locator: 'agendapunt 2', conditions: ['2.f', '2.g'] },
    ],
    favourability: { '4.c.III': 4, '2.f': 5, '2.g': 4 },
  },
];

export const DUTCH_MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
